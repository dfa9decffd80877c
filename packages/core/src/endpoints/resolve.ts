/**
 * The interpreter: evaluates a service's endpoint rule set against the call's parameters.
 *
 *     resolveEndpoint(ruleSet, params, { partitions })
 *       1. compile    the document, once per rule set object     (rule-set.ts)
 *       2. bind       parameters: defaults, required, types       (bindParameters)
 *       3. evaluate   rules in order; the first that matches wins (evaluateRules)
 *            endpoint rule → ResolvedEndpoint { url, headers, properties }; a url that
 *                            WHATWG URL cannot parse is an "invalid-parameter" error
 *            error rule    → throws EndpointError with the rule's message
 *            tree rule     → evaluates its sub-rules; if none matches, that is an error
 *                            too (the spec makes trees terminal: no falling through)
 *       4. nothing matched → EndpointError "no-rule-matched"
 *
 * Each rule kind has one evaluate function, and every expression goes through `evaluate`,
 * which calls library functions only through `invoke` (library.ts). A rule's conditions
 * run left to right and stop at the first that yields false or unset; an `assign` binds the
 * result in a variable that only that rule (and, for a tree, its sub-rules) can see; the
 * compiler has already turned every name into a slot of one flat array (see rule-set.ts),
 * so entering a rule copies nothing.
 *
 * The engine reads no files and holds no service knowledge: the rule set and the
 * partitions come in as data. Which client setting feeds which parameter (the builtIns) is
 * the caller's business; `builtInParameters` (built-ins.ts) lists them.
 */
import { EndpointError } from "./endpoint-error.ts";
import { describeValue, getAttr, invoke } from "./library.ts";
import type { LibraryContext } from "./library.ts";
import { compileRuleSet, isParamOfType } from "./rule-set.ts";
import type {
  CompiledEndpointRule,
  CompiledErrorRule,
  CompiledParameter,
  CompiledRule,
  CompiledTreeRule,
  Expr,
} from "./rule-set.ts";
import type { EndpointParams, PartitionsData, ResolvedEndpoint, RuleSet, Value } from "./types.ts";

export interface EndpointResolveOptions {
  /** The contents of `partitions.json`, for `aws.partition`. */
  readonly partitions: PartitionsData;
}

/** Every parameter and assigned variable of one resolution, by the slot the compiler gave it. */
type Slots = Value[];

export function resolveEndpoint(ruleSet: RuleSet, params: EndpointParams, options: EndpointResolveOptions): ResolvedEndpoint {
  const compiled = compileRuleSet(ruleSet);
  const slots = bindParameters(compiled.parameters, params, compiled.slotCount);
  const frame: Frame = { slots, context: { partitions: options.partitions }, parameters: compiled.parameters };
  const endpoint = evaluateRules(compiled.rules, frame);
  if (endpoint) return endpoint;
  throw new EndpointError("no-rule-matched", `no endpoint rule matched the parameters ${describeParams(frame)}`);
}

/** One resolution in progress: its variables, the library's context, and (for messages) the parameters. */
interface Frame {
  readonly slots: Slots;
  readonly context: LibraryContext;
  readonly parameters: readonly CompiledParameter[];
}

// ---- parameters -------------------------------------------------------------------------

/**
 * The variable array, with every declared parameter's value or default in its slot.
 * Unknown names in `params` are ignored (a caller may pass the same builtIn values to
 * every service); every problem with the declared ones is reported in one error.
 */
function bindParameters(parameters: readonly CompiledParameter[], params: EndpointParams, slotCount: number): Slots {
  const slots: Slots = new Array<Value>(slotCount).fill(undefined);
  const problems: string[] = [];
  for (const parameter of parameters) {
    const given = Object.hasOwn(params, parameter.name) ? params[parameter.name] : undefined;
    // JSON-sourced callers may say null for "not set".
    const value = (given as unknown) === null || given === undefined ? parameter.default : given;
    if (value === undefined) {
      if (parameter.required) problems.push(`${parameter.name} is required`);
    } else if (!isParamOfType(value, parameter.type)) {
      problems.push(`${parameter.name} must be a ${parameter.type}, got ${describeValue(value as Value)}`);
    } else {
      slots[parameter.slot] = Array.isArray(value) ? Object.freeze([...value]) : value;
    }
  }
  if (problems.length > 0) {
    throw new EndpointError("invalid-parameter", `invalid endpoint parameters: ${problems.join("; ")}`);
  }
  return slots;
}

// ---- rules ------------------------------------------------------------------------------

/** The first rule that produces an endpoint (an error rule that matches throws instead). */
function evaluateRules(rules: readonly CompiledRule[], frame: Frame): ResolvedEndpoint | undefined {
  for (const rule of rules) {
    if (!conditionsHold(rule, frame)) continue;
    switch (rule.type) {
      case "endpoint":
        return evaluateEndpointRule(rule, frame);
      case "error":
        return evaluateErrorRule(rule, frame);
      case "tree":
        return evaluateTreeRule(rule, frame);
      default:
        return unreachable(rule);
    }
  }
  return undefined;
}

/** Runs the conditions in order, storing assignments; false or unset ends the rule. */
function conditionsHold(rule: CompiledRule, frame: Frame): boolean {
  for (const condition of rule.conditions) {
    const result = evaluate(condition.call, frame);
    if (result === undefined || result === false) return false;
    if (condition.slot !== undefined) frame.slots[condition.slot] = result;
  }
  return true;
}

function evaluateEndpointRule(rule: CompiledEndpointRule, frame: Frame): ResolvedEndpoint {
  const url = evaluateString(rule.url, frame, `${rule.where}: the endpoint url`);
  // Rule sets splice parameters into URLs (an access point's name in front of a custom
  // endpoint's host, say); when the parameters cannot make a URL together, as with an
  // IPv6 endpoint there, that is reported here rather than returned for a later parse to
  // fail on.
  if (!URL.canParse(url)) {
    throw new EndpointError("invalid-parameter", `the parameters ${describeParams(frame)} make the endpoint ${JSON.stringify(url)}, which is not a valid URL`);
  }
  const headers: Record<string, string[]> = {};
  for (const [name, values] of rule.headers) {
    headers[name] = values.map((v) => evaluateString(v, frame, `${rule.where}: header ${name}`));
  }
  const properties = rule.properties ? evaluate(rule.properties, frame) : {};
  return { url, headers, properties: properties as Record<string, unknown> };
}

function evaluateErrorRule(rule: CompiledErrorRule, frame: Frame): never {
  throw new EndpointError("error-rule", evaluateString(rule.message, frame, `${rule.where}: the error message`));
}

function evaluateTreeRule(rule: CompiledTreeRule, frame: Frame): ResolvedEndpoint {
  const endpoint = evaluateRules(rule.rules, frame);
  if (endpoint) return endpoint;
  throw new EndpointError(
    "no-rule-matched",
    `no rule matched inside the tree rule at ${rule.where}; parameters ${describeParams(frame)}`,
  );
}

// ---- expressions ------------------------------------------------------------------------

function evaluate(expr: Expr, frame: Frame): Value {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "ref":
      return frame.slots[expr.slot];
    case "template":
      return renderTemplate(expr, frame.slots);
    case "call":
      return invoke(expr.fn, expr.impl, expr.argv.map((arg) => evaluate(arg, frame)), frame.context);
    case "array":
      return expr.items.map((item) => evaluate(item, frame));
    case "record": {
      const record: Record<string, Value> = {};
      for (const [key, value] of expr.entries) record[key] = evaluate(value, frame);
      return record;
    }
    default:
      return unreachable(expr);
  }
}

function evaluateString(expr: Expr, frame: Frame, what: string): string {
  const value = evaluate(expr, frame);
  if (typeof value !== "string") {
    throw new EndpointError("invalid-rule-set", `${what} must evaluate to a string, got ${describeValue(value)}`);
  }
  return value;
}

function renderTemplate(expr: Extract<Expr, { kind: "template" }>, slots: Slots): string {
  let out = "";
  for (const part of expr.parts) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    const value = part.path ? getAttr(slots[part.slot], part.path) : slots[part.slot];
    if (typeof value === "string") out += value;
    else if (typeof value === "boolean" || typeof value === "number") out += String(value);
    else {
      // The rule set should have guarded this with isSet; printing "undefined" into a host
      // name would send the request somewhere wrong instead of failing.
      throw new EndpointError(
        "invalid-rule-set",
        `template ${JSON.stringify(expr.source)}: ${part.ref}${part.path ? ` (${part.path.join(".")})` : ""} is ${describeValue(value)}, not a string`,
      );
    }
  }
  return out;
}

/** 'Region="us-east-1", UseFIPS=false': the parameters that are set, not the variables. */
function describeParams(frame: Frame): string {
  const set = frame.parameters
    .filter((p) => frame.slots[p.slot] !== undefined)
    .map((p) => `${p.name}=${JSON.stringify(frame.slots[p.slot])}`);
  return set.length ? set.join(", ") : "(none set)";
}

/** Makes the switches above exhaustive: a new rule or expression kind fails to compile. */
function unreachable(value: never): never {
  throw new EndpointError("invalid-rule-set", `unexpected compiled node ${JSON.stringify(value)}`);
}
