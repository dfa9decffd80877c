/**
 * Turns a rule set document into the checked, typed tree the interpreter walks, once per
 * document object (a WeakMap remembers it), so a call never re-reads JSON shapes or
 * re-parses a template.
 *
 *     RuleSet (JSON) ──compileRuleSet──▶ CompiledRuleSet
 *                                          parameters: name, type, required, default, builtIn
 *                                          rules:      CompiledRule (endpoint | error | tree)
 *                                                        conditions: { call, slot to assign }
 *                                                        expressions: Expr (literal | template
 *                                                          | ref | call | array | record)
 *                                          slotCount:  size of the variable array a call needs
 *
 * Compiling is also where a malformed document is caught, with the JSON location of the
 * problem ("rules[2].rules[0].conditions[1]: unknown function \"aws.foo\""): an unknown rule
 * type or function, a wrong argument count, a literal of the wrong kind, a template with a
 * stray brace, and, as the spec asks rule engines to verify statically, a reference to a
 * name that is neither a parameter nor assigned earlier on the path, or an `assign` that
 * would shadow one.
 *
 * A tree rule's sub-rules are compiled when a resolution first enters the tree, not with
 * the document: S3's ~4,000-node rule set took ~15 ms to compile whole at a cold start,
 * where a call walks a few branches of it. `checkRuleSet` compiles every branch; that is
 * how test/packaging/compact-rule-sets verifies each generated package's rule set, so the
 * static checks above still hold for every document that ships.
 *
 * Because scoping is static, names become numbers here: each parameter and each `assign`
 * site gets its own slot in one flat array, and a reference carries the slot it reads. A
 * call then allocates that array once and never copies a scope when it enters a rule. A
 * slot written by a rule that later failed is harmless: only references compiled inside
 * that rule point to it.
 */
import { EndpointError } from "./endpoint-error.ts";
import { hasKind, lookupFunction, parseAttrPath } from "./library.ts";
import type { AttrStep, LibraryFunction } from "./library.ts";
import type { ParameterType, ParamValue, RuleSet, Value } from "./types.ts";

// ---- the compiled form ------------------------------------------------------------------

/** A template piece: literal text, or a reference with an optional getAttr path (`{url#scheme}`). */
export type TemplatePart =
  | string
  | { readonly ref: string; readonly slot: number; readonly path: readonly AttrStep[] | undefined };

export interface CallExpr {
  readonly kind: "call";
  readonly fn: string;
  readonly impl: LibraryFunction;
  readonly argv: readonly Expr[];
}

export type Expr =
  | { readonly kind: "literal"; readonly value: Value }
  | { readonly kind: "template"; readonly source: string; readonly parts: readonly TemplatePart[] }
  | { readonly kind: "ref"; readonly name: string; readonly slot: number }
  | CallExpr
  | { readonly kind: "array"; readonly items: readonly Expr[] }
  | { readonly kind: "record"; readonly entries: ReadonlyArray<readonly [string, Expr]> };

export interface CompiledCondition {
  readonly call: CallExpr;
  /** Where `assign` stores the result, if the condition has one. */
  readonly slot: number | undefined;
}

interface CompiledRuleBase {
  /** JSON location, e.g. "rules[3].rules[0]", for messages about this rule. */
  readonly where: string;
  readonly conditions: readonly CompiledCondition[];
}

export interface CompiledEndpointRule extends CompiledRuleBase {
  readonly type: "endpoint";
  readonly url: Expr;
  readonly properties: Expr | undefined;
  readonly headers: ReadonlyArray<readonly [string, readonly Expr[]]>;
}

export interface CompiledErrorRule extends CompiledRuleBase {
  readonly type: "error";
  readonly message: Expr;
}

export interface CompiledTreeRule extends CompiledRuleBase {
  readonly type: "tree";
  readonly rules: readonly CompiledRule[];
}

export type CompiledRule = CompiledEndpointRule | CompiledErrorRule | CompiledTreeRule;

export interface CompiledParameter {
  readonly name: string;
  /** Parameters take the first slots, in declaration order. */
  readonly slot: number;
  readonly type: ParameterType;
  readonly required: boolean;
  readonly default: ParamValue;
  readonly builtIn: string | undefined;
}

export interface CompiledRuleSet {
  readonly parameters: readonly CompiledParameter[];
  readonly rules: readonly CompiledRule[];
  readonly slotCount: number;
}

/**
 * The names visible at one point of the document, to their slots, and the shared counter
 * of slots. A rule copies its parent's names only when one of its conditions assigns.
 */
interface Scope {
  names: ReadonlyMap<string, number>;
  readonly slots: { count: number };
}

// ---- compiling --------------------------------------------------------------------------

const compiled = new WeakMap<object, CompiledRuleSet>();

/** The compiled form of `ruleSet`, built on first use and remembered for the same object. */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const doc: unknown = ruleSet;
  if (!isObject(doc)) throw malformed("", "a rule set must be an object");
  const known = compiled.get(doc);
  if (known) return known;
  const parameters = compileParameters(doc["parameters"]);
  const slots = { count: parameters.length };
  const scope: Scope = { names: new Map(parameters.map((p) => [p.name, p.slot])), slots };
  const rules = compileRules(doc["rules"], "rules", scope);
  const result: CompiledRuleSet = {
    parameters,
    rules,
    // Grows as trees are compiled on first entry.
    get slotCount() {
      return slots.count;
    },
  };
  compiled.set(doc, result);
  return result;
}

/** Compiles every branch of `ruleSet` now, so that any malformed part throws here. */
export function checkRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const result = compileRuleSet(ruleSet);
  const visit = (rules: readonly CompiledRule[]): void => {
    for (const rule of rules) if (rule.type === "tree") visit(rule.rules);
  };
  visit(result.rules);
  return result;
}

const PARAMETER_TYPES: Record<string, ParameterType> = {
  string: "string",
  boolean: "boolean",
  stringarray: "stringArray",
};

function compileParameters(raw: unknown): CompiledParameter[] {
  if (!isObject(raw)) throw malformed("parameters", "must be an object");
  return Object.entries(raw).map(([name, spec], slot) => {
    const where = `parameters.${name}`;
    if (!isObject(spec)) throw malformed(where, "must be an object");
    // Older documents spell the types "String" / "Boolean"; botocore accepts any case too.
    const type = typeof spec["type"] === "string" ? PARAMETER_TYPES[spec["type"].toLowerCase()] : undefined;
    if (!type) throw malformed(where, `unknown type ${JSON.stringify(spec["type"])}`);
    const fallback = spec["default"];
    if (fallback !== undefined && !isParamOfType(fallback, type)) {
      throw malformed(where, `default must be a ${type}`);
    }
    if (spec["required"] !== undefined && typeof spec["required"] !== "boolean") {
      throw malformed(where, "required must be a boolean");
    }
    if (spec["builtIn"] !== undefined && typeof spec["builtIn"] !== "string") {
      throw malformed(where, "builtIn must be a string");
    }
    return {
      name,
      slot,
      type,
      required: spec["required"] === true,
      default: Array.isArray(fallback) ? Object.freeze([...fallback]) : (fallback as ParamValue),
      builtIn: spec["builtIn"],
    };
  });
}

/** Whether a parameter value has the declared type (arrays must hold only strings). */
export function isParamOfType(value: unknown, type: ParameterType): value is ParamValue {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "stringArray":
      return Array.isArray(value) && value.every((item) => typeof item === "string");
  }
}

function compileRules(raw: unknown, where: string, scope: Scope): CompiledRule[] {
  if (!Array.isArray(raw) || raw.length === 0) throw malformed(where, "must be a non-empty array of rules");
  return raw.map((rule, i) => compileRule(rule, `${where}[${i}]`, scope));
}

function compileRule(raw: unknown, where: string, outer: Scope): CompiledRule {
  if (!isObject(raw)) throw malformed(where, "a rule must be an object");
  if (!Array.isArray(raw["conditions"])) throw malformed(where, "conditions must be an array");
  // Names assigned by this rule's conditions are visible to later conditions and to its body.
  const scope: Scope = { names: outer.names, slots: outer.slots };
  const conditions = raw["conditions"].map((c, i) => compileCondition(c, `${where}.conditions[${i}]`, scope));
  const type = raw["type"];
  switch (type) {
    case "endpoint": {
      const endpoint = raw["endpoint"];
      if (!isObject(endpoint)) throw malformed(where, "endpoint must be an object");
      const properties = endpoint["properties"];
      if (properties !== undefined && !isObject(properties)) throw malformed(`${where}.endpoint`, "properties must be an object");
      return {
        type,
        where,
        conditions,
        url: compileExpr(endpoint["url"], `${where}.endpoint.url`, scope),
        properties: properties === undefined ? undefined : compileExpr(properties, `${where}.endpoint.properties`, scope),
        headers: compileHeaders(endpoint["headers"], `${where}.endpoint.headers`, scope),
      };
    }
    case "error":
      return { type, where, conditions, message: compileExpr(raw["error"], `${where}.error`, scope) };
    case "tree": {
      // Compiled on first entry (see the header), in the names visible after the conditions.
      const source = raw["rules"];
      const inner: Scope = { names: scope.names, slots: scope.slots };
      let rules: CompiledRule[] | undefined;
      return {
        type,
        where,
        conditions,
        get rules() {
          return (rules ??= compileRules(source, `${where}.rules`, inner));
        },
      };
    }
    default:
      throw malformed(where, `unknown rule type ${JSON.stringify(type)} (expected endpoint, error or tree)`);
  }
}

function compileCondition(raw: unknown, where: string, scope: Scope): CompiledCondition {
  if (!isObject(raw) || typeof raw["fn"] !== "string") throw malformed(where, "a condition must be a function call");
  const call = compileCall(raw, where, scope);
  const assign = raw["assign"];
  if (assign === undefined) return { call, slot: undefined };
  if (typeof assign !== "string" || assign === "") throw malformed(where, "assign must be a non-empty string");
  if (scope.names.has(assign)) throw malformed(where, `assign "${assign}" would shadow a name already in scope`);
  const slot = scope.slots.count++;
  scope.names = new Map(scope.names).set(assign, slot);
  return { call, slot };
}

function compileHeaders(raw: unknown, where: string, scope: Scope): Array<readonly [string, Expr[]]> {
  if (raw === undefined) return [];
  if (!isObject(raw)) throw malformed(where, "must be an object of arrays");
  return Object.entries(raw).map(([name, values]) => {
    if (!Array.isArray(values)) throw malformed(`${where}.${name}`, "must be an array");
    return [name, values.map((v, i) => compileExpr(v, `${where}.${name}[${i}]`, scope))] as const;
  });
}

/**
 * Any expression position: function arguments, urls, error messages, header values and
 * endpoint properties. An object with `fn` is a call and an object whose only key is `ref`
 * is a reference, wherever it appears; any other object or array is built value by value.
 */
function compileExpr(raw: unknown, where: string, scope: Scope): Expr {
  if (typeof raw === "string") return compileString(raw, where, scope);
  if (typeof raw === "boolean" || (typeof raw === "number" && Number.isFinite(raw))) return { kind: "literal", value: raw };
  if (Array.isArray(raw)) return { kind: "array", items: raw.map((item, i) => compileExpr(item, `${where}[${i}]`, scope)) };
  if (isObject(raw)) {
    if ("fn" in raw) return compileCall(raw, where, scope);
    const keys = Object.keys(raw);
    if (keys.length === 1 && keys[0] === "ref") {
      const name = raw["ref"];
      return { kind: "ref", name: String(name), slot: slotOf(name, where, scope) };
    }
    return {
      kind: "record",
      entries: keys.map((key) => [key, compileExpr(raw[key], `${where}.${key}`, scope)] as const),
    };
  }
  throw malformed(where, `unsupported value ${JSON.stringify(raw)}`);
}

function compileCall(raw: Record<string, unknown>, where: string, scope: Scope): CallExpr {
  const fn = raw["fn"];
  if (typeof fn !== "string") throw malformed(where, "fn must be a string");
  const impl = lookupFunction(fn);
  if (!impl) throw malformed(where, `unknown function "${fn}"`);
  const rawArgv = raw["argv"];
  if (!Array.isArray(rawArgv)) throw malformed(where, `${fn}: argv must be an array`);
  if (rawArgv.length !== impl.argv.length) {
    throw malformed(where, `${fn} takes ${impl.argv.length} argument(s), got ${rawArgv.length}`);
  }
  const argv = rawArgv.map((arg, i) => {
    const expr = compileExpr(arg, `${where}.argv[${i}]`, scope);
    const kind = impl.argv[i];
    // A literal can be checked now; everything else is checked by `invoke` at run time.
    if (expr.kind === "literal" && kind !== undefined && !hasKind(expr.value, kind)) {
      throw malformed(`${where}.argv[${i}]`, `${fn} expects ${kind}, got ${JSON.stringify(expr.value)}`);
    }
    if (fn === "getAttr" && i === 1 && expr.kind === "literal" && typeof expr.value === "string") {
      rethrowAt(where, () => parseAttrPath(expr.value as string));
    }
    return expr;
  });
  return { kind: "call", fn, impl, argv };
}

function slotOf(name: unknown, where: string, scope: Scope): number {
  if (typeof name !== "string") throw malformed(where, "ref must be a string");
  const slot = scope.names.get(name);
  if (slot === undefined) throw malformed(where, `reference to "${name}", which is neither a parameter nor assigned before`);
  return slot;
}

// ---- template strings -------------------------------------------------------------------

/**
 * "https://{Bucket}.s3.{PartitionResult#dnsSuffix}" → literal text and references. A
 * string without braces stays a literal; "{{" and "}}" stand for literal braces. Parsed
 * once here, so evaluation only concatenates.
 */
function compileString(source: string, where: string, scope: Scope): Expr {
  if (!source.includes("{") && !source.includes("}")) return { kind: "literal", value: source };
  const parts: TemplatePart[] = [];
  let text = "";
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    const next = source[i + 1];
    if ((ch === "{" && next === "{") || (ch === "}" && next === "}")) {
      text += ch;
      i += 2;
    } else if (ch === "}") {
      throw malformed(where, `template ${JSON.stringify(source)} has an unmatched "}"`);
    } else if (ch === "{") {
      const close = source.indexOf("}", i);
      if (close === -1) throw malformed(where, `template ${JSON.stringify(source)} has an unclosed "{"`);
      const inner = source.slice(i + 1, close);
      const hash = inner.indexOf("#");
      const ref = hash === -1 ? inner : inner.slice(0, hash);
      const slot = slotOf(ref, where, scope);
      const path = hash === -1 ? undefined : rethrowAt(where, () => parseAttrPath(inner.slice(hash + 1)));
      if (text) parts.push(text);
      text = "";
      parts.push({ ref, slot, path });
      i = close + 1;
    } else {
      text += ch;
      i += 1;
    }
  }
  if (text) parts.push(text);
  // Only escaped braces: still a literal, just unescaped.
  if (parts.every((p) => typeof p === "string")) return { kind: "literal", value: parts.join("") };
  return { kind: "template", source, parts };
}

// ---- helpers ----------------------------------------------------------------------------

function malformed(where: string, problem: string): EndpointError {
  return new EndpointError("invalid-rule-set", `malformed rule set${where ? ` at ${where}` : ""}: ${problem}`);
}

function rethrowAt<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw error instanceof EndpointError ? malformed(where, error.message) : error;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
