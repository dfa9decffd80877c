/**
 * Checks a call's input against the operation's input shape before anything is serialized
 * or sent, and reports every problem at once, the way botocore's `ParamValidator` does.
 * The pipeline throws them together in one `ValidationError`.
 *
 * What is checked, shape by shape (values that are `undefined` or `null` count as absent):
 *
 *   structure   a plain object; required members present; no unknown members (a typo in a
 *               member name is the most common bug, and would otherwise be silently
 *               dropped); a union has exactly one member set
 *   list / map  an array / a plain object; size within the model's min/max; every element
 *               (and map key) checked against its own shape
 *   string      a string (an enum accepts any string: new values must pass); length in
 *               characters within min/max; a `jsonvalue` string accepts any JSON value
 *   numbers     a number (or bigint); integers for byte/short/integer/long/biginteger,
 *               finite except for float/double; value within min/max
 *   boolean     a boolean
 *   timestamp   a valid Date, epoch seconds, or a string `new Date()` can read
 *   blob        bytes: Uint8Array (Buffer), another ArrayBuffer view, an ArrayBuffer, or a
 *               string (UTF-8); byte length within min/max. A streaming blob, or a blob that
 *               is the whole HTTP payload (Lambda's Invoke Payload), also takes a Blob, a
 *               ReadableStream, a Node Readable, an async iterable or a RequestBody: their
 *               length is not known here, so min/max are left to the service
 *   document    anything (it is sent as plain JSON)
 *
 * and at the top level, URI labels that would be empty (`/{Bucket}/…` with Bucket "") and
 * host labels that cannot be part of a host name, and, for a request, header-bound strings
 * that HTTP cannot carry (control characters, anything beyond U+00FF) and prefix-header
 * keys that cannot be part of a header name.
 *
 * Not checked, on purpose: `pattern` (model patterns are Java regexes that JavaScript does
 * not always read the same way, and botocore does not check them either) and enum values.
 *
 * Paths read like the caller's code: `input.Item.name.S`, `input.Tags[2].Key`,
 * `input.Attributes["my key"]`. Messages name types and sizes, never values, except a
 * number out of range in a shape that is not sensitive.
 */
import type { ValidationProblem } from "../errors/index.ts";
import { isStreamingBodyInput } from "../http/request-body.ts";
import { memberNames, membersByLocation, membersOf, memberShape } from "../schema/normalize.ts";
import type { ListShape, MapShape, ScalarShape, Shape, StructureShape } from "../schema/types.ts";

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
// RFC 9110: a field value is visible Latin-1 and tabs/spaces; a field name is a token.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Every problem with `input` as an instance of `structure`; empty when it is valid. */
export function validateInput(structure: StructureShape, input: unknown, root = "input"): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const walker = new Walker(problems);
  walker.structure(structure, input, root);
  if (isPlainObject(input)) {
    topLevelLabels(structure, input, root, problems);
    // Only a request goes out with these headers; a stubbed response (testing/) never does.
    if (root === "input") headerValues(structure, input, root, problems);
  }
  return problems;
}

class Walker {
  readonly #problems: ValidationProblem[];
  /** Objects on the current path: input that refers to itself would recurse forever. */
  readonly #open = new Set<object>();

  constructor(problems: ValidationProblem[]) {
    this.#problems = problems;
  }

  #add(path: string, message: string): void {
    this.#problems.push({ path, message });
  }

  /** `streamable`: the value may be a stream (a streaming blob member, or the blob payload). */
  value(shape: Shape, value: unknown, path: string, streamable = false): void {
    switch (shape.type) {
      case "structure":
        return this.structure(shape, value, path);
      case "list":
        return this.list(shape, value, path);
      case "map":
        return this.map(shape, value, path);
      case "document":
        return;
      case "string":
        return this.string(shape, value, path);
      case "boolean":
        if (typeof value !== "boolean") this.#add(path, `expected a boolean, got ${describe(value)}`);
        return;
      case "byte":
      case "short":
      case "integer":
      case "long":
      case "biginteger":
      case "bigdecimal":
      case "float":
      case "double":
        return this.number(shape, value, path);
      case "timestamp":
        if (!isTimestamp(value)) this.#add(path, `expected a timestamp (a valid Date, epoch seconds or an ISO-8601 string), got ${describe(value)}`);
        return;
      case "blob":
        return this.blob(shape, value, path, streamable || shape.streaming === true);
    }
  }

  structure(shape: StructureShape, value: unknown, path: string): void {
    if (!isPlainObject(value)) {
      this.#add(path, `expected an object (${shape.name}), got ${describe(value)}`);
      return;
    }
    if (!this.#enter(value, path)) return;
    try {
      const members = membersOf(shape);
      const known = memberNames(shape);
      for (const key of Object.keys(value)) {
        if (!known.has(key)) this.#add(join(path, key), `unknown member of ${shape.name}${suggestion(key, known)}`);
      }
      for (const name of shape.required ?? []) {
        if (isAbsent(value[name])) this.#add(join(path, name), "required member is missing");
      }
      let set = 0;
      for (const view of members) {
        const member = value[view.name];
        if (isAbsent(member)) continue;
        set++;
        this.value(view.shape, member, join(path, view.name), view.member.streaming === true || shape.payload === view.name);
      }
      if (shape.union && set !== 1) {
        const names = members.filter((view) => !isAbsent(value[view.name])).map((view) => view.name);
        this.#add(
          path,
          set === 0
            ? `exactly one member of the union ${shape.name} must be set; none is`
            : `exactly one member of the union ${shape.name} must be set; ${names.join(", ")} are`,
        );
      }
    } finally {
      this.#open.delete(value);
    }
  }

  list(shape: ListShape, value: unknown, path: string): void {
    if (!Array.isArray(value)) {
      this.#add(path, `expected a list (array), got ${describe(value)}`);
      return;
    }
    this.#size(shape, value.length, path, "items");
    if (!this.#enter(value, path)) return;
    try {
      const item = memberShape(shape.member);
      value.forEach((element: unknown, i) => {
        // A null element is sent as null on purpose (sparse lists); undefined is a hole.
        if (element === null) return;
        if (element === undefined) this.#add(`${path}[${i}]`, "list elements must not be undefined");
        else this.value(item, element, `${path}[${i}]`);
      });
    } finally {
      this.#open.delete(value);
    }
  }

  map(shape: MapShape, value: unknown, path: string): void {
    if (!isPlainObject(value)) {
      this.#add(path, `expected a map (plain object), got ${describe(value)}`);
      return;
    }
    const entries = Object.entries(value);
    this.#size(shape, entries.length, path, "entries");
    if (!this.#enter(value, path)) return;
    try {
      const keyShape = memberShape(shape.key);
      const valueShape = memberShape(shape.value);
      for (const [key, element] of entries) {
        const at = join(path, key);
        if (keyShape.type === "string") this.#length(keyShape, [...key].length, `${at} (key)`, "characters");
        if (element === null) continue;
        if (element === undefined) this.#add(at, "map values must not be undefined");
        else this.value(valueShape, element, at);
      }
    } finally {
      this.#open.delete(value);
    }
  }

  string(shape: ScalarShape, value: unknown, path: string): void {
    if (shape.jsonvalue) return;
    if (typeof value !== "string") {
      this.#add(path, `expected a string, got ${describe(value)}`);
      return;
    }
    if (shape.min !== undefined || shape.max !== undefined) this.#length(shape, [...value].length, path, "characters");
  }

  number(shape: ScalarShape, value: unknown, path: string): void {
    const integer = shape.type !== "float" && shape.type !== "double" && shape.type !== "bigdecimal";
    if (typeof value === "bigint") {
      this.#range(shape, value, path);
      return;
    }
    if (typeof value !== "number") {
      this.#add(path, `expected a number, got ${describe(value)}`);
      return;
    }
    if (integer && !Number.isInteger(value)) {
      this.#add(path, `expected a whole number (${shape.type})${shape.sensitive ? "" : `, got ${value}`}`);
      return;
    }
    if (!Number.isFinite(value) && shape.type === "bigdecimal") {
      this.#add(path, "expected a finite number");
      return;
    }
    this.#range(shape, value, path);
  }

  blob(shape: ScalarShape, value: unknown, path: string, streamable: boolean): void {
    if (streamable && isStreamingBodyInput(value)) return;
    if (typeof value !== "string" && !(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value)) {
      this.#add(
        path,
        streamable
          ? `expected bytes, a string, a Blob, a ReadableStream or an async iterable of bytes, got ${describe(value)}`
          : `expected bytes (Uint8Array, ArrayBuffer or string), got ${describe(value)}`,
      );
      return;
    }
    if (shape.min !== undefined || shape.max !== undefined) this.#length(shape, byteLength(value), path, "bytes");
  }

  #enter(value: object, path: string): boolean {
    if (this.#open.has(value)) {
      this.#add(path, "the value contains itself (a circular reference)");
      return false;
    }
    this.#open.add(value);
    return true;
  }

  #size(shape: ListShape | MapShape, size: number, path: string, unit: string): void {
    if (shape.min !== undefined && size < shape.min) this.#add(path, `has ${size} ${unit}, fewer than the minimum ${shape.min}`);
    if (shape.max !== undefined && size > shape.max) this.#add(path, `has ${size} ${unit}, more than the maximum ${shape.max}`);
  }

  #length(shape: ScalarShape, length: number, path: string, unit: string): void {
    if (shape.min !== undefined && length < shape.min) this.#add(path, `length ${length} ${unit} is below the minimum ${shape.min}`);
    if (shape.max !== undefined && length > shape.max) this.#add(path, `length ${length} ${unit} is above the maximum ${shape.max}`);
  }

  #range(shape: ScalarShape, value: number | bigint, path: string): void {
    const shown = shape.sensitive ? "the value" : String(value);
    if (shape.min !== undefined && value < shape.min) this.#add(path, `${shown} is below the minimum ${shape.min}`);
    if (shape.max !== undefined && value > shape.max) this.#add(path, `${shown} is above the maximum ${shape.max}`);
  }
}

/** URI labels that would leave an empty path segment, and host labels that are no host name. */
function topLevelLabels(structure: StructureShape, input: Readonly<Record<string, unknown>>, root: string, problems: ValidationProblem[]): void {
  for (const view of membersOf(structure)) {
    const value = input[view.name];
    if (view.location === "uri" && value === "") {
      problems.push({ path: join(root, view.name), message: "must not be empty: it is part of the request's URI path" });
    }
    if (view.member.hostLabel && typeof value === "string" && !HOST_LABEL.test(value)) {
      problems.push({
        path: join(root, view.name),
        message: "must be a valid host label (letters, digits and hyphens, dot-separated): it becomes part of the host name",
      });
    }
  }
}

/**
 * Header-bound strings (and prefix-header keys) that HTTP cannot carry. Every transport
 * refuses a header value with a line break, another control character or a character
 * beyond U+00FF, and a header name that is not a token, only when it is about to send;
 * caught here, the caller hears which member it was, and nothing is sent.
 */
function headerValues(structure: StructureShape, input: Readonly<Record<string, unknown>>, root: string, problems: ValidationProblem[]): void {
  const badValue = (path: string): void => {
    problems.push({ path, message: "cannot be sent in an HTTP header: it holds a line break, another control character or a character beyond U+00FF" });
  };
  // Only header-bound members: the rest of a large input (GetObject has ~25 members) is not walked per call.
  const byLocation = membersByLocation(structure);
  for (const views of [byLocation.get("header"), byLocation.get("headers")]) for (const view of views ?? []) {
    const value = input[view.name];
    if (isAbsent(value) || view.member.jsonvalue || (view.shape.type === "string" && view.shape.jsonvalue)) continue;
    const path = join(root, view.name);
    if (view.location === "header") {
      if (typeof value === "string" && !HEADER_VALUE.test(value)) badValue(path);
      if (Array.isArray(value)) {
        value.forEach((item: unknown, i) => {
          if (typeof item === "string" && !HEADER_VALUE.test(item)) badValue(`${path}[${i}]`);
        });
      }
    } else if (view.location === "headers" && isPlainObject(value)) {
      const prefix = view.wireName;
      for (const [key, item] of Object.entries(value)) {
        if (!HEADER_NAME.test(`${prefix}${key}`)) {
          problems.push({ path: `${join(path, key)} (key)`, message: "cannot be part of an HTTP header name: only letters, digits and !#$%&'*+-.^_`|~ can" });
        }
        if (typeof item === "string" && !HEADER_VALUE.test(item)) badValue(join(path, key));
      }
    }
  }
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** An object literal or null-prototype object: not an array, Date, Map, bytes or class instance. */
function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== "object") return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isTimestamp(value: unknown): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  // Epoch seconds the way the serializers read them (shared/timestamp.ts `toDate`): a
  // finite number can still fall outside what a Date holds (±8.64e12 seconds).
  if (typeof value === "number") return !Number.isNaN(new Date(value * 1000).getTime());
  if (typeof value === "string") return value.trim() !== "" && !Number.isNaN(new Date(value).getTime());
  return false;
}

function byteLength(value: string | ArrayBuffer | ArrayBufferView): number {
  if (typeof value !== "string") return value.byteLength;
  // UTF-8 length without encoding (no Buffer: the core also runs where Node's is missing).
  let bytes = 0;
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** "a string", "a number", "an array", "null", "a Map"… (never the value itself). */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid Date" : "a Date";
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return "bytes";
  switch (typeof value) {
    case "object": {
      const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
      return name && name !== "Object" ? `a ${name}` : "an object";
    }
    case "undefined":
      return "undefined";
    default:
      return `a ${typeof value}`;
  }
}

function join(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** " (did you mean QueueUrl?)" when a known member differs only in case or by a letter or two. */
function suggestion(key: string, known: ReadonlySet<string>): string {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of known) {
    const d = name.toLowerCase() === lower ? 0 : distance(lower, name.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best === undefined ? "" : ` (did you mean ${best}?)`;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length] ?? limit, limit);
}
