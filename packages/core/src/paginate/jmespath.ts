/**
 * The one place the core touches the `jmespath` package (jmespath.js 0.16). Paginators and
 * waiters both read responses with JMESPath, because that is the language botocore's
 * paginators-1.json and waiters-2.json are written in: output tokens such as
 * `NextMarker || Contents[-1].Key`, result keys such as `StreamDescription.Shards`, acceptor
 * arguments such as `Reservations[].Instances[].State.Name`. Writing our own evaluator
 * would mean re-deriving the spec's projection and flattening rules; the reference
 * implementation is small and has no dependencies.
 *
 * The package is untyped at heart (`@types/jmespath` declares only `search(any, string):
 * any`), so everything leaves this module as `unknown` and nothing of the library's types
 * reaches a public signature. 0.16 also exports `compile` (parse only, used here to reject a
 * bad expression before any request is sent); the runtime interface below names the two
 * functions we call.
 *
 * Botocore writes into responses through `set_value_from_jmespath`, which only understands
 * dotted field paths. `parsePath` recognises exactly those, so the paginator can tell up
 * front whether a result key can be truncated or aggregated (every key in the models can).
 */
import jmespathModule from "jmespath";
import { StratusError } from "../errors/index.ts";

interface JmespathRuntime {
  search(data: unknown, expression: string): unknown;
  compile(expression: string): unknown;
}

const jmespath = jmespathModule as unknown as JmespathRuntime;

/** An expression that does not parse, or that failed while a response was searched. */
export class JmesPathError extends StratusError {
  override name = "JmesPathError";
  readonly expression: string;
  constructor(expression: string, problem: string, options?: { cause?: unknown }) {
    super(`JMESPath expression "${expression}": ${problem}`, options);
    this.expression = expression;
  }
}

/** A parsed expression: searching never re-validates, and `path` says if it can be set. */
export interface Expression {
  readonly source: string;
  /** The dotted field names when the expression is a plain path (`A.B.C`), else undefined. */
  readonly path: readonly string[] | undefined;
  /** JMESPath semantics: a missing field is `null`, never `undefined`. */
  search(data: unknown): unknown;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function parsePath(source: string): readonly string[] | undefined {
  const parts = source.split(".");
  return parts.every((part) => IDENTIFIER.test(part)) ? parts : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Parses `source` once; throws JmesPathError for a syntax error. */
export function compileExpression(source: string): Expression {
  if (typeof source !== "string" || source.length === 0) {
    throw new JmesPathError(String(source), "an expression must be a non-empty string");
  }
  try {
    jmespath.compile(source);
  } catch (error) {
    throw new JmesPathError(source, messageOf(error), { cause: error });
  }
  return {
    source,
    path: parsePath(source),
    search(data: unknown): unknown {
      try {
        // jmespath.js re-parses on every call; expressions here are a few tokens long, and
        // its AST interpreter is not exported, so there is nothing to cache.
        return jmespath.search(data ?? null, source);
      } catch (error) {
        throw new JmesPathError(source, messageOf(error), { cause: error });
      }
    },
  };
}

/**
 * JMESPath's notion of false (null, false, "", [], {}), which is also what botocore's
 * Python truthiness gives for every token type a service returns (it would also call 0
 * false; no model has a numeric token that can be 0). An empty byte array counts as empty.
 */
export function isFalsy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === "") return true;
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * Structural equality for tokens and expected values: scalars by `===` (so `1` is not
 * `true`, unlike Python), arrays and byte arrays element by element, objects by their
 * defined keys (a key holding `undefined` counts as absent, as it does once serialised).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((byte, i) => byte === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
    const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
    return keysA.length === keysB.length && keysA.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}

/** The value at a dotted path, or undefined when any step is missing. */
export function getPath(data: unknown, path: readonly string[]): unknown {
  let current = data;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A shallow copy that keeps the prototype and non-enumerable members (e.g. metadata). */
function cloneObject<T extends object>(value: T): T {
  return Object.create(Object.getPrototypeOf(value), Object.getOwnPropertyDescriptors(value)) as T;
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * A copy of `data` with `value` at `path`: only the objects along the path are copied, so
 * the response the service client produced is never changed under a caller who kept it.
 * Missing (or non-object) steps become new plain objects, as botocore's setter does.
 */
export function withPath<T extends object>(data: T, path: readonly string[], value: unknown): T {
  const [head, ...rest] = path;
  if (head === undefined) return data;
  const copy = cloneObject(data);
  const child = (data as Record<string, unknown>)[head];
  const next = rest.length === 0 ? value : withPath(isRecord(child) ? child : {}, rest, value);
  define(copy, head, next);
  return copy;
}

/** Sets `value` at `path` in an object this module's caller owns (creating steps). */
export function setPathInPlace(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const child = current[key];
    if (isRecord(child)) {
      current = child;
    } else {
      const created: Record<string, unknown> = {};
      current[key] = created;
      current = created;
    }
  }
  const last = path[path.length - 1];
  if (last !== undefined) current[last] = value;
}
