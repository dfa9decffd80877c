/**
 * JavaScript values ⇄ DynamoDB `AttributeValue`s, the mapping boto3's TypeSerializer /
 * TypeDeserializer and the v3 SDK's util-dynamodb make:
 *
 *   JavaScript                                        DynamoDB
 *   string                                       ⇄    S
 *   number, bigint, NumberValue                  →    N      (N → see `numbers` below)
 *   boolean                                      ⇄    BOOL
 *   null                                         ⇄    NULL
 *   Uint8Array (Buffer), ArrayBuffer, other views →   B      (B → Uint8Array)
 *   Set of strings / numbers / binaries          ⇄    SS / NS / BS
 *   array                                        ⇄    L
 *   plain object, Map with string keys           →    M      (M → plain object)
 *
 * Numbers are never rounded without the caller seeing it. On the way out, a `number` must
 * be finite and, when whole, a safe integer (larger ones are rounded already: pass a bigint
 * or a NumberValue). On the way in, `numbers` chooses:
 *   "auto" (default)  a number when the number prints as the same decimal, else NumberValue
 *   "NumberValue"     always a NumberValue (lib-dynamodb's `wrapNumbers: true`)
 *   "bigint"          whole numbers as bigint, others as in "auto"
 *   a function        called with the decimal text
 *
 * Options, as lib-dynamodb names them: `removeUndefinedValues` (drop undefined members,
 * list elements and set entries; otherwise an undefined is an error), `convertEmptyValues`
 * (empty strings, binaries and sets become NULL; off by default, as DynamoDB now accepts
 * empty strings and binaries outside keys), `convertClassInstanceToMap` (class instances
 * become maps of their own enumerable properties; otherwise an error).
 *
 * Every error names where the value was: `Item.tags[2]: …` (a MarshallError).
 */
import { base64ToBytes, StratusError } from "@stratus/core";
import type { AttributeValue, AttributeValueInput } from "../generated/types.ts";
import { exactNumber, NumberValue } from "./number-value.ts";

export interface MarshallOptions {
  /** Leave out undefined values instead of failing (default false). */
  readonly removeUndefinedValues?: boolean | undefined;
  /** Send empty strings, binaries and sets as NULL (default false). */
  readonly convertEmptyValues?: boolean | undefined;
  /** Marshall class instances as maps of their enumerable own properties (default false). */
  readonly convertClassInstanceToMap?: boolean | undefined;
}

export type NumberMode = "auto" | "NumberValue" | "bigint" | ((text: string) => unknown);

export interface UnmarshallOptions {
  /** How N values come back (default "auto"; see the module header). */
  readonly numbers?: NumberMode | undefined;
}

/** A value the document layer reads from DynamoDB. */
export type NativeScalar = string | number | bigint | boolean | null | NumberValue | Uint8Array;
export type NativeSet = Set<string> | Set<number | bigint | NumberValue> | Set<Uint8Array>;
export type NativeAttributeValue = NativeScalar | NativeSet | NativeAttributeValue[] | { [key: string]: NativeAttributeValue };
/** An item as the document layer returns it. */
export type DocumentItem = Record<string, NativeAttributeValue>;

export class MarshallError extends StratusError {
  override name = "MarshallError";
  /** Where the value was, e.g. "Item.tags[2]". */
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.path = path;
  }
}

// ── JavaScript → DynamoDB ────────────────────────────────────────────────────────────────

/** An item (or key) as DynamoDB's `Record<string, AttributeValue>`. */
export function marshall(item: object, options: MarshallOptions = {}, path = "item"): Record<string, AttributeValueInput> {
  const value = convertToAttr(item, options, path);
  if (value === undefined || value.M === undefined) throw new MarshallError(path, "an item must be an object");
  return value.M;
}

/** One value as an AttributeValue; undefined only when it is undefined and `removeUndefinedValues` is on. */
export function convertToAttr(value: unknown, options: MarshallOptions = {}, path = "value"): AttributeValueInput | undefined {
  switch (typeof value) {
    case "string":
      return value.length === 0 && options.convertEmptyValues ? { NULL: true } : { S: value };
    case "number":
      return { N: numberText(value, path) };
    case "bigint":
      return { N: value.toString() };
    case "boolean":
      return { BOOL: value };
    case "undefined":
      if (options.removeUndefinedValues) return undefined;
      throw new MarshallError(path, "undefined cannot be stored; leave the member out, or pass removeUndefinedValues: true");
    case "object":
      return value === null ? { NULL: true } : objectToAttr(value, options, path);
    case "symbol":
    case "function":
      throw new MarshallError(path, `a ${typeof value} cannot be stored in DynamoDB`);
  }
}

function objectToAttr(value: object, options: MarshallOptions, path: string): AttributeValueInput | undefined {
  if (value instanceof NumberValue) return { N: value.value };
  const bytes = binaryOf(value);
  if (bytes !== undefined) return bytes.byteLength === 0 && options.convertEmptyValues ? { NULL: true } : { B: bytes };
  if (Array.isArray(value)) {
    const list: AttributeValueInput[] = [];
    value.forEach((element: unknown, i) => {
      const converted = convertToAttr(element, options, `${path}[${i}]`);
      if (converted !== undefined) list.push(converted);
    });
    return { L: list };
  }
  if (value instanceof Set) return setToAttr(value, options, path);
  if (value instanceof Map) {
    const map: Record<string, AttributeValueInput> = {};
    for (const [key, element] of value) {
      if (typeof key !== "string") throw new MarshallError(path, `a Map key must be a string to become an attribute name; got a ${typeof key}`);
      const converted = convertToAttr(element, options, `${path}.${key}`);
      if (converted !== undefined) setMember(map, key, converted);
    }
    return { M: map };
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && !options.convertClassInstanceToMap) {
    const kind = value instanceof Date ? "a Date (store date.toISOString() or date.getTime())" : `an instance of ${value.constructor?.name ?? "a class"}`;
    throw new MarshallError(path, `${kind} cannot be stored as is; convert it, or pass convertClassInstanceToMap: true`);
  }
  const map: Record<string, AttributeValueInput> = {};
  for (const [key, element] of Object.entries(value)) {
    const converted = convertToAttr(element, options, `${path}.${key}`);
    if (converted !== undefined) setMember(map, key, converted);
  }
  return { M: map };
}

function setToAttr(set: Set<unknown>, options: MarshallOptions, path: string): AttributeValueInput | undefined {
  const entries = options.removeUndefinedValues ? [...set].filter((v) => v !== undefined) : [...set];
  if (entries.length === 0) {
    if (options.convertEmptyValues) return { NULL: true };
    throw new MarshallError(path, "DynamoDB has no empty sets; leave the member out, or pass convertEmptyValues: true to store NULL");
  }
  const first = entries[0];
  if (typeof first === "string") {
    return { SS: entries.map((v, i) => (typeof v === "string" ? v : mixed(path, i, "strings"))) };
  }
  if (typeof first === "number" || typeof first === "bigint" || first instanceof NumberValue) {
    return {
      NS: entries.map((v, i) => {
        if (typeof v === "number") return numberText(v, `${path}<${i}>`);
        if (typeof v === "bigint") return v.toString();
        if (v instanceof NumberValue) return v.value;
        return mixed(path, i, "numbers");
      }),
    };
  }
  if (first !== null && typeof first === "object" && binaryOf(first) !== undefined) {
    return { BS: entries.map((v, i) => (v !== null && typeof v === "object" ? binaryOf(v) : undefined) ?? mixed(path, i, "binaries")) };
  }
  throw new MarshallError(path, `a set must hold strings, numbers or binaries; its first entry is ${describe(first)}`);
}

function mixed(path: string, index: number, kind: string): never {
  throw new MarshallError(path, `a set holds one kind of value; entry ${index} is not like the first (${kind})`);
}

/** The decimal text of a number, refusing what DynamoDB cannot store or what was already rounded. */
function numberText(value: number, path: string): string {
  if (!Number.isFinite(value)) throw new MarshallError(path, `${value} cannot be stored in DynamoDB`);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new MarshallError(path, `${value} is beyond Number.MAX_SAFE_INTEGER and may already be rounded; pass a bigint or a NumberValue`);
  }
  return String(value);
}

function binaryOf(value: object): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

// ── DynamoDB → JavaScript ────────────────────────────────────────────────────────────────

/** An item from DynamoDB as a plain object. */
export function unmarshall(item: Readonly<Record<string, AttributeValue | AttributeValueInput>>, options: UnmarshallOptions = {}): DocumentItem {
  const out: DocumentItem = {};
  for (const [key, value] of Object.entries(item)) setMember(out, key, convertToNative(value, options));
  return out;
}

/** One AttributeValue as a JavaScript value. */
export function convertToNative(value: AttributeValue | AttributeValueInput, options: UnmarshallOptions = {}): NativeAttributeValue {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return numberOf(value.N, options.numbers);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.B !== undefined) return bytesOf(value.B);
  if (value.M !== undefined) return unmarshall(value.M, options);
  if (value.L !== undefined) return value.L.map((element) => convertToNative(element, options));
  if (value.SS !== undefined) return new Set(value.SS);
  if (value.NS !== undefined) return new Set(value.NS.map((text) => numberOf(text, options.numbers) as number | bigint | NumberValue));
  if (value.BS !== undefined) return new Set(value.BS.map(bytesOf));
  throw new MarshallError("value", `not an AttributeValue DynamoDB returns (keys: ${Object.keys(value).join(", ") || "none"})`);
}

function numberOf(text: string, mode: NumberMode = "auto"): NativeAttributeValue {
  if (typeof mode === "function") return mode(text) as NativeAttributeValue;
  switch (mode) {
    case "NumberValue":
      return new NumberValue(text);
    case "bigint":
      if (/^[+-]?\d+$/.test(text)) return BigInt(text);
      return exactNumber(text) ?? new NumberValue(text);
    case "auto":
      return exactNumber(text) ?? new NumberValue(text);
  }
}

function bytesOf(value: Uint8Array | string): Uint8Array {
  return typeof value === "string" ? base64ToBytes(value) : value;
}

/** `out[key] = value`, with "__proto__" kept as an ordinary member. */
function setMember<V>(out: Record<string, V>, key: string, value: V): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an instance of ${value.constructor?.name ?? "Object"}`;
  return `a ${typeof value}`;
}
