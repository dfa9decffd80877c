/**
 * Condition, key and projection expressions built from objects, as boto3's
 * `boto3.dynamodb.conditions` builds them, rendered with generated placeholders:
 *
 *   Key("pk").eq("user#1").and(Key("sk").beginsWith("order#"))
 *     → KeyConditionExpression    "#n0 = :v0 AND begins_with(#n1, :v1)"
 *       ExpressionAttributeNames  { "#n0": "pk", "#n1": "sk" }
 *       ExpressionAttributeValues { ":v0": { S: "user#1" }, ":v1": { S: "order#" } }
 *
 *   Attr("n").gt(3).or(Attr("tags").contains("x").not())
 *   Attr("a.b[0]").exists()            nested paths: "#n0.#n1[0]" (use Attr(["a.b"]) for a
 *                                      name that itself contains a dot)
 *   Attr("s").size().between(1, 10)    size(...) as an operand
 *   Attr("a").eq(Attr("b"))            another attribute on the right
 *
 * Every attribute name becomes a `#n` placeholder (so reserved words such as `name`,
 * `size`, `status` never need thought) and every value a `:v` placeholder, marshalled like
 * the rest of the document layer. One call's expressions share one `ExpressionAttributes`,
 * so a key condition and a filter use one numbering, a name used twice has one placeholder,
 * and names/values the caller wrote by hand are kept and never collided with.
 *
 * Key conditions are their own type: `Key(...)` offers only what a key condition allows
 * (=, <, <=, >, >=, BETWEEN, begins_with, and AND), and `KeyConditionExpression` takes only a
 * `KeyCondition`, so a filter-only operator there is a type error, not a service error.
 *
 * Rendering: AND binds tighter than OR and NOT tightest, as in DynamoDB's grammar; a
 * nested group gets parentheses only where the grammar needs them.
 */
import type { AttributeValueInput } from "../generated/types.ts";
import { convertToAttr, MarshallError, type MarshallOptions } from "./marshall.ts";

type Comparator = "=" | "<>" | "<" | "<=" | ">" | ">=";
type FunctionName = "attribute_exists" | "attribute_not_exists" | "attribute_type" | "begins_with" | "contains";

/** The attribute types `attributeType` accepts. */
export type AttributeTypeName = "S" | "SS" | "N" | "NS" | "B" | "BS" | "BOOL" | "NULL" | "L" | "M";

type Operand =
  | { readonly kind: "path"; readonly path: readonly string[] }
  | { readonly kind: "size"; readonly path: readonly string[] }
  | { readonly kind: "value"; readonly value: unknown };

type Node =
  | { readonly op: "compare"; readonly comparator: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly op: "between"; readonly subject: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly op: "in"; readonly subject: Operand; readonly options: readonly Operand[] }
  | { readonly op: "function"; readonly name: FunctionName; readonly args: readonly Operand[] }
  | { readonly op: "and" | "or"; readonly left: Node; readonly right: Node }
  | { readonly op: "not"; readonly operand: Node };

/** The tree behind each condition; kept out of the public surface. */
const nodes = new WeakMap<ConditionBase, Node>();

function nodeOf(condition: ConditionBase): Node {
  const node = nodes.get(condition);
  if (node === undefined) throw new TypeError("not a condition made by Key(), Attr() or their methods");
  return node;
}

/** A condition for ConditionExpression / FilterExpression. Combine with and/or/not. */
export class ConditionBase {
  constructor(node: Node) {
    nodes.set(this, node);
  }
  and(other: ConditionBase): ConditionBase {
    return new ConditionBase({ op: "and", left: nodeOf(this), right: nodeOf(other) });
  }
  or(other: ConditionBase): ConditionBase {
    return new ConditionBase({ op: "or", left: nodeOf(this), right: nodeOf(other) });
  }
  not(): ConditionBase {
    return new ConditionBase({ op: "not", operand: nodeOf(this) });
  }
}

/** A condition on key attributes, for KeyConditionExpression (only `and` combines them). */
export class KeyCondition extends ConditionBase {
  // A private field makes the class nominal: a plain ConditionBase is not a KeyCondition.
  readonly #key = true;
  override and(other: KeyCondition): KeyCondition {
    void this.#key;
    return new KeyCondition({ op: "and", left: nodeOf(this), right: nodeOf(other) });
  }
}

/** A value, or another attribute (or its size) to compare with. */
export type Comparand = unknown;

function operandOf(value: Comparand): Operand {
  // SizeOf first: it is an AttributeName too.
  if (value instanceof SizeOf) return { kind: "size", path: value.path };
  if (value instanceof AttributeName) return { kind: "path", path: value.path };
  return { kind: "value", value };
}

/** What Key() and Attr() share: the attribute's path. */
abstract class AttributeName {
  readonly path: readonly string[];
  constructor(name: string | readonly string[]) {
    this.path = parsePath(name);
  }
  protected operand(): Operand {
    return { kind: "path", path: this.path };
  }
}

/** A key attribute, for key conditions (boto3's `Key`). */
export class KeyAttribute extends AttributeName {
  eq(value: unknown): KeyCondition {
    return this.#compare("=", value);
  }
  lt(value: unknown): KeyCondition {
    return this.#compare("<", value);
  }
  lte(value: unknown): KeyCondition {
    return this.#compare("<=", value);
  }
  gt(value: unknown): KeyCondition {
    return this.#compare(">", value);
  }
  gte(value: unknown): KeyCondition {
    return this.#compare(">=", value);
  }
  between(low: unknown, high: unknown): KeyCondition {
    return new KeyCondition({ op: "between", subject: this.operand(), low: { kind: "value", value: low }, high: { kind: "value", value: high } });
  }
  beginsWith(prefix: string | Uint8Array): KeyCondition {
    return new KeyCondition({ op: "function", name: "begins_with", args: [this.operand(), { kind: "value", value: prefix }] });
  }
  #compare(comparator: Comparator, value: unknown): KeyCondition {
    return new KeyCondition({ op: "compare", comparator, left: this.operand(), right: { kind: "value", value } });
  }
}

/** Comparisons any operand (an attribute, or its size) supports. */
abstract class Comparable extends AttributeName {
  eq(value: Comparand): ConditionBase {
    return this.#compare("=", value);
  }
  ne(value: Comparand): ConditionBase {
    return this.#compare("<>", value);
  }
  lt(value: Comparand): ConditionBase {
    return this.#compare("<", value);
  }
  lte(value: Comparand): ConditionBase {
    return this.#compare("<=", value);
  }
  gt(value: Comparand): ConditionBase {
    return this.#compare(">", value);
  }
  gte(value: Comparand): ConditionBase {
    return this.#compare(">=", value);
  }
  between(low: Comparand, high: Comparand): ConditionBase {
    return new ConditionBase({ op: "between", subject: this.operand(), low: operandOf(low), high: operandOf(high) });
  }
  /** `IN (…)`: equal to one of the values (1 to 100 of them). */
  in(values: Iterable<Comparand>): ConditionBase {
    const options = [...values].map(operandOf);
    if (options.length === 0 || options.length > 100) throw new RangeError(`IN takes 1 to 100 values; got ${options.length}`);
    return new ConditionBase({ op: "in", subject: this.operand(), options });
  }
  /** boto3's name for `in`. */
  isIn(values: Iterable<Comparand>): ConditionBase {
    return this.in(values);
  }
  #compare(comparator: Comparator, value: Comparand): ConditionBase {
    return new ConditionBase({ op: "compare", comparator, left: this.operand(), right: operandOf(value) });
  }
}

/** Any attribute, for condition and filter expressions (boto3's `Attr`). */
export class ConditionAttribute extends Comparable {
  exists(): ConditionBase {
    return new ConditionBase({ op: "function", name: "attribute_exists", args: [this.operand()] });
  }
  notExists(): ConditionBase {
    return new ConditionBase({ op: "function", name: "attribute_not_exists", args: [this.operand()] });
  }
  attributeType(type: AttributeTypeName): ConditionBase {
    return new ConditionBase({ op: "function", name: "attribute_type", args: [this.operand(), { kind: "value", value: type }] });
  }
  beginsWith(prefix: Comparand): ConditionBase {
    return new ConditionBase({ op: "function", name: "begins_with", args: [this.operand(), operandOf(prefix)] });
  }
  /** A string attribute contains a substring, or a set/list holds an element. */
  contains(value: Comparand): ConditionBase {
    return new ConditionBase({ op: "function", name: "contains", args: [this.operand(), operandOf(value)] });
  }
  /** `size(path)`, to compare: `Attr("tags").size().gt(2)`. */
  size(): SizeOf {
    return new SizeOf(this.path);
  }
}

/** `size(path)` as an operand. */
export class SizeOf extends Comparable {
  protected override operand(): Operand {
    return { kind: "size", path: this.path };
  }
}

/** A key attribute for KeyConditionExpression. */
export function Key(name: string | readonly string[]): KeyAttribute {
  return new KeyAttribute(name);
}

/** An attribute for ConditionExpression / FilterExpression. */
export function Attr(name: string | readonly string[]): ConditionAttribute {
  return new ConditionAttribute(name);
}

/** All of the conditions (at least one). */
export function and(first: ConditionBase, ...rest: ConditionBase[]): ConditionBase {
  return rest.reduce((all, next) => all.and(next), first);
}

/** Any of the conditions (at least one). */
export function or(first: ConditionBase, ...rest: ConditionBase[]): ConditionBase {
  return rest.reduce((any, next) => any.or(next), first);
}

export function not(condition: ConditionBase): ConditionBase {
  return condition.not();
}

// ── rendering ────────────────────────────────────────────────────────────────────────────

/**
 * One call's names and values: those the caller wrote, plus a placeholder for each name
 * and value the builders used. Pass `names`/`values` to the request when not empty.
 */
export class ExpressionAttributes {
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValueInput>;
  readonly #options: MarshallOptions;
  readonly #placeholderOf = new Map<string, string>();
  #nextName = 0;
  #nextValue = 0;

  constructor(
    names: Readonly<Record<string, string>> | undefined,
    values: Readonly<Record<string, unknown>> | undefined,
    options: MarshallOptions = {},
  ) {
    this.names = { ...names };
    this.values = {};
    this.#options = options;
    for (const [key, value] of Object.entries(values ?? {})) {
      const converted = convertToAttr(value, options, `ExpressionAttributeValues.${key}`);
      if (converted !== undefined) this.values[key] = converted;
    }
  }

  /** The `#n` placeholder for one attribute name (the same name always gets the same one). */
  name(name: string): string {
    let placeholder = this.#placeholderOf.get(name);
    if (placeholder === undefined) {
      do placeholder = `#n${this.#nextName++}`;
      while (Object.hasOwn(this.names, placeholder));
      this.names[placeholder] = name;
      this.#placeholderOf.set(name, placeholder);
    }
    return placeholder;
  }

  /** A fresh `:v` placeholder for a value (marshalled). */
  value(value: unknown): string {
    let placeholder: string;
    do placeholder = `:v${this.#nextValue++}`;
    while (Object.hasOwn(this.values, placeholder));
    const converted = convertToAttr(value, this.#options, placeholder);
    if (converted === undefined) throw new MarshallError(placeholder, "an expression value cannot be undefined");
    this.values[placeholder] = converted;
    return placeholder;
  }

  /** "#n0.#n1[2]" for a parsed path. */
  path(path: readonly string[]): string {
    return path.map((segment, i) => (segment.startsWith("[") ? segment : `${i > 0 ? "." : ""}${this.name(segment)}`)).join("");
  }

  /** The names for the request, or undefined when there are none (DynamoDB rejects `{}`). */
  namesOrUndefined(): Record<string, string> | undefined {
    return Object.keys(this.names).length > 0 ? this.names : undefined;
  }

  valuesOrUndefined(): Record<string, AttributeValueInput> | undefined {
    return Object.keys(this.values).length > 0 ? this.values : undefined;
  }
}

/** A condition as expression text, its names and values added to `attributes`. */
export function renderCondition(condition: ConditionBase, attributes: ExpressionAttributes): string {
  return renderNode(nodeOf(condition), attributes);
}

/** A ProjectionExpression from attribute paths. */
export function renderProjection(paths: readonly (string | readonly string[])[], attributes: ExpressionAttributes): string {
  if (paths.length === 0) throw new RangeError("a projection needs at least one attribute");
  return paths.map((path) => attributes.path(parsePath(path))).join(", ");
}

function renderNode(node: Node, attributes: ExpressionAttributes): string {
  const operand = (o: Operand): string => {
    switch (o.kind) {
      case "path":
        return attributes.path(o.path);
      case "size":
        return `size(${attributes.path(o.path)})`;
      case "value":
        return attributes.value(o.value);
    }
  };
  switch (node.op) {
    case "compare":
      return `${operand(node.left)} ${node.comparator} ${operand(node.right)}`;
    case "between":
      return `${operand(node.subject)} BETWEEN ${operand(node.low)} AND ${operand(node.high)}`;
    case "in":
      return `${operand(node.subject)} IN (${node.options.map(operand).join(", ")})`;
    case "function":
      return `${node.name}(${node.args.map(operand).join(", ")})`;
    case "and":
    case "or": {
      const side = (child: Node): string => {
        const text = renderNode(child, attributes);
        // OR inside AND needs parentheses; AND inside OR and same-operator chains do not.
        return child.op === "or" && node.op === "and" ? `(${text})` : text;
      };
      return `${side(node.left)} ${node.op.toUpperCase()} ${side(node.right)}`;
    }
    case "not": {
      const text = renderNode(node.operand, attributes);
      // Parentheses around a group, and around a nested NOT (some parsers reject "NOT NOT").
      return node.operand.op === "and" || node.operand.op === "or" || node.operand.op === "not" ? `NOT (${text})` : `NOT ${text}`;
    }
  }
}

/** "a.b[0].c" → ["a", "b", "[0]", "c"]; an array is taken as the names themselves. */
function parsePath(name: string | readonly string[]): readonly string[] {
  if (typeof name !== "string") {
    if (name.length === 0 || name.some((part) => typeof part !== "string" || part.length === 0)) {
      throw new RangeError("an attribute path needs one or more non-empty names");
    }
    return [...name];
  }
  const segments: string[] = [];
  for (const part of name.split(".")) {
    const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (match === null || match[1] === undefined) throw new RangeError(`"${name}" is not an attribute path (name, name.name, name[0])`);
    segments.push(match[1]);
    for (const index of (match[2] ?? "").match(/\[\d+\]/g) ?? []) segments.push(index);
  }
  return segments;
}
