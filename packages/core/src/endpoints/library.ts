/**
 * The rules language's standard library: every function a rule set may call, in one object
 * (`standardLibrary`), like botocore's `RuleSetStandardLibrary`. The interpreter knows no
 * function by name; it looks the name up here, so supporting a new function is one entry.
 *
 * Each entry declares its argument kinds next to its body:
 *
 *     substring: define(["string", "integer", "integer", "boolean"], ([input, start, stop, reverse]) => …)
 *
 * `invoke` checks the evaluated arguments against those kinds before the call, so a body
 * never sees a wrong type and the error names the function and the argument. A wrong type
 * at run time always means the rule set forgot a guard (parameters are checked before
 * evaluation), so it is reported as an invalid rule set. Functions that can "fail" return
 * `undefined` (the language's empty optional), which makes a condition false, as the spec
 * says; they never throw for bad input values.
 *
 * The functions are also exported one by one, typed, for the unit tests and for callers
 * that need the same logic (an ARN parser, a host-label check) outside a rule set.
 */
import { uriEscape } from "../signing/uri-encode.ts";
import { EndpointError } from "./endpoint-error.ts";
import type { PartitionsData, Value, ValueRecord } from "./types.ts";

// ---- how a function is declared ---------------------------------------------------------

/** `option` accepts anything, unset included; `document` is a set array or record. */
export type ArgKind = "string" | "boolean" | "integer" | "document" | "option";

interface ArgTypes {
  string: string;
  boolean: boolean;
  integer: number;
  document: readonly Value[] | ValueRecord;
  option: Value;
}

type Args<K extends readonly ArgKind[]> = { readonly [I in keyof K]: K[I] extends ArgKind ? ArgTypes[K[I]] : never };

/** What the library needs besides its arguments: only `aws.partition` reads anything. */
export interface LibraryContext {
  readonly partitions: PartitionsData;
}

export interface LibraryFunction {
  readonly argv: readonly ArgKind[];
  /** Only ever called through `invoke`, after the arguments have been checked. */
  readonly call: (args: readonly Value[], context: LibraryContext) => Value;
}

function define<const K extends readonly ArgKind[]>(
  argv: K,
  call: (args: Args<K>, context: LibraryContext) => Value,
): LibraryFunction {
  // Sound because `invoke` checks every argument against `argv` first.
  return { argv, call: call as unknown as LibraryFunction["call"] };
}

// ---- the library ------------------------------------------------------------------------

export const standardLibrary = {
  isSet: define(["option"], ([value]) => value !== undefined),
  not: define(["boolean"], ([value]) => !value),
  getAttr: define(["document", "string"], ([value, path]) => getAttr(value, path)),
  substring: define(["string", "integer", "integer", "boolean"], ([input, start, stop, reverse]) =>
    substring(input, start, stop, reverse),
  ),
  uriEncode: define(["string"], ([value]) => uriEscape(value)),
  parseURL: define(["string"], ([value]) => parseUrl(value)),
  stringEquals: define(["string", "string"], ([a, b]) => a === b),
  booleanEquals: define(["boolean", "boolean"], ([a, b]) => a === b),
  isValidHostLabel: define(["string", "boolean"], ([value, allowSubDomains]) =>
    isValidHostLabel(value, allowSubDomains),
  ),
  "aws.partition": define(["string"], ([region], context) => partition(region, context.partitions)),
  "aws.parseArn": define(["string"], ([value]) => parseArn(value)),
  "aws.isVirtualHostableS3Bucket": define(["string", "boolean"], ([value, allowSubDomains]) =>
    isVirtualHostableS3Bucket(value, allowSubDomains),
  ),
} as const satisfies Record<string, LibraryFunction>;

export type LibraryFunctionName = keyof typeof standardLibrary;

/** The library entry for `name`, or undefined for a function this engine does not know. */
export function lookupFunction(name: string): LibraryFunction | undefined {
  return Object.hasOwn(standardLibrary, name) ? standardLibrary[name as LibraryFunctionName] : undefined;
}

/** Checks `args` against the function's declared kinds, then calls it. */
export function invoke(name: string, fn: LibraryFunction, args: readonly Value[], context: LibraryContext): Value {
  if (args.length !== fn.argv.length) {
    throw new EndpointError("invalid-rule-set", `${name} takes ${fn.argv.length} argument(s), got ${args.length}`);
  }
  for (let i = 0; i < fn.argv.length; i++) {
    const kind = fn.argv[i]!;
    if (!hasKind(args[i], kind)) {
      throw new EndpointError(
        "invalid-rule-set",
        `${name}: argument ${i + 1} must be ${KIND_NAMES[kind]}, got ${describeValue(args[i])}`,
      );
    }
  }
  return fn.call(args, context);
}

const KIND_NAMES: Record<ArgKind, string> = {
  string: "a string",
  boolean: "a boolean",
  integer: "an integer",
  document: "an object or array",
  option: "any value",
};

/** Whether an evaluated argument fits a declared kind. */
export function hasKind(value: Value, kind: ArgKind): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "document":
      return typeof value === "object";
    case "option":
      return true;
  }
}

/** "unset", "a string", "an array"…: for error messages (never prints the value itself). */
export function describeValue(value: Value): string {
  if (value === undefined) return "unset";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return typeof value === "number" ? "a number" : `a ${typeof value}`;
}

// ---- getAttr ----------------------------------------------------------------------------

/** One step of a getAttr path: a record key or an array index. */
export type AttrStep = string | number;

const ATTR_PART = /^([^[\]]*)((?:\[\d+\])*)$/;
const pathCache = new Map<string, readonly AttrStep[]>();
const PATH_CACHE_LIMIT = 512;

/**
 * Parses "a.b[0]" into ["a", "b", 0]. Paths are almost always literals from the rule set,
 * so parses are cached per string (bounded, in case a rule set builds paths at run time).
 */
export function parseAttrPath(path: string): readonly AttrStep[] {
  const cached = pathCache.get(path);
  if (cached) return cached;
  const steps: AttrStep[] = [];
  for (const part of path.split(".")) {
    const match = ATTR_PART.exec(part);
    const key = match?.[1] ?? "";
    const indexes = match?.[2] ?? "";
    if (!match || (key === "" && indexes === "")) {
      throw new EndpointError("invalid-rule-set", `getAttr: malformed path "${path}"`);
    }
    if (key !== "") steps.push(key);
    for (const index of indexes.matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  if (pathCache.size >= PATH_CACHE_LIMIT) pathCache.clear();
  pathCache.set(path, steps);
  return steps;
}

/** The value at `path`, or undefined when a key is absent or an index is past the end. */
export function getAttr(value: Value, path: string | readonly AttrStep[]): Value {
  let current = value;
  for (const step of typeof path === "string" ? parseAttrPath(path) : path) {
    if (typeof step === "number") {
      current = Array.isArray(current) ? current[step] : undefined;
    } else if (typeof current === "object" && !Array.isArray(current) && Object.hasOwn(current, step)) {
      current = (current as ValueRecord)[step];
    } else {
      current = undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

// ---- strings and host names -------------------------------------------------------------

const ASCII = /^[\x00-\x7f]*$/;

/**
 * input[start, stop), counted from the end when `reverse` is set. Unset when the range does
 * not fit inside the string or the string holds non-ASCII characters (the spec's rule: it
 * keeps "characters" and UTF-16 units the same thing).
 */
export function substring(input: string, start: number, stop: number, reverse: boolean): string | undefined {
  if (start < 0 || start >= stop || input.length < stop || !ASCII.test(input)) return undefined;
  return reverse ? input.slice(input.length - stop, input.length - start) : input.slice(start, stop);
}

// RFC 1123: letters, digits and hyphens, 1–63 long, no hyphen at either end.
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** One valid DNS label, or with `allowSubDomains` several joined by single dots. */
export function isValidHostLabel(value: string, allowSubDomains: boolean): boolean {
  if (!allowSubDomains) return HOST_LABEL.test(value);
  return value.split(".").every((label) => HOST_LABEL.test(label));
}

const IPV4_SHAPED = /^\d+\.\d+\.\d+\.\d+$/;

/**
 * Whether a bucket name can be a host label in virtual-hosted-style S3 URLs: a valid host
 * label (dotted only with `allowSubDomains`), 3–63 characters in all, no upper case, and
 * not something that looks like an IPv4 address ("192.168.5.4" is a legal bucket name
 * that DNS would read as an address). The length applies to the whole name, not to each
 * label ("a.b.c" qualifies), as in Smithy's reference implementation and botocore; the v3
 * SDK's per-label minimum is stricter than the bucket naming rules.
 */
export function isVirtualHostableS3Bucket(value: string, allowSubDomains: boolean): boolean {
  if (value.length < 3 || value.length > 63) return false;
  if (value !== value.toLowerCase()) return false;
  if (IPV4_SHAPED.test(value)) return false;
  return isValidHostLabel(value, allowSubDomains);
}

// ---- parseURL ---------------------------------------------------------------------------

export interface ParsedUrl extends ValueRecord {
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
  readonly normalizedPath: string;
  readonly isIp: boolean;
}

// scheme "://" authority path, and nothing after: a "?" or "#" anywhere fails the match.
const URL_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)$/;
// A host, then an optional port; never user info. The host may hold anything WHATWG URL
// accepts in one (every code point but controls, space and # / : < > ? @ [ \ ] ^ |, and
// "%" only as an escape), as the v3 SDK's parseURL and config/endpoint.ts accept: were
// this stricter, a rule that tries parseURL and falls through when it fails would send
// the call to AWS instead of the endpoint the user configured (S3's control-plane rules
// do exactly that).
const HOST_PORT = /^((?:[^\x00-\x20\x7f#/:<>?@[\\\]^|%]|%[0-9A-Fa-f]{2})+)(?::(\d{1,5}))?$/;
const BRACKETED_IPV6_PORT = /^\[([0-9A-Fa-f:.]+(?:%25[A-Za-z0-9\-._~]+)?)\](?::(\d{1,5}))?$/;

/**
 * Splits an endpoint URL the way the rules language needs it. Written by hand rather than
 * with WHATWG `URL`, which would rewrite what the user gave (lower-cased and punycoded
 * host, default port dropped, "." segments removed) while rules compare and re-assemble
 * `authority` and `path` verbatim. Only http and https are accepted; a query string is
 * rejected as the spec requires, and so are a fragment and user info, which have no
 * meaning in an endpoint and would end up in the middle of the URLs built from it.
 */
export function parseUrl(value: string): ParsedUrl | undefined {
  const shape = URL_SHAPE.exec(value);
  if (!shape) return undefined;
  const scheme = (shape[1] ?? "").toLowerCase();
  const authority = shape[2] ?? "";
  const path = shape[3] ?? "";
  if (scheme !== "http" && scheme !== "https") return undefined;

  let isIp: boolean;
  const ipv6 = BRACKETED_IPV6_PORT.exec(authority);
  const hostPort = ipv6 ? undefined : HOST_PORT.exec(authority);
  if (ipv6) {
    if (!(ipv6[1] ?? "").includes(":") || !portInRange(ipv6[2])) return undefined;
    isIp = true;
  } else if (hostPort) {
    if (!portInRange(hostPort[2])) return undefined;
    isIp = isIpv4(hostPort[1] ?? "");
  } else {
    return undefined;
  }

  const normalizedPath = path.endsWith("/") ? path : `${path}/`;
  return { scheme, authority, path, normalizedPath, isIp };
}

function portInRange(port: string | undefined): boolean {
  return port === undefined || Number(port) <= 65535;
}

function isIpv4(host: string): boolean {
  const octets = host.split(".");
  return octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

// ---- AWS functions ----------------------------------------------------------------------

export interface ParsedArn extends ValueRecord {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  /** The resource part split on both ":" and "/": "accesspoint:my/ap" → [accesspoint, my, ap]. */
  readonly resourceId: readonly string[];
}

/** arn:partition:service:region:account:resource; partition, service and resource non-empty. */
export function parseArn(value: string): ParsedArn | undefined {
  const parts = value.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  const [, partition = "", service = "", region = "", accountId = ""] = parts;
  const resource = parts.slice(5).join(":");
  if (partition === "" || service === "" || resource === "") return undefined;
  return { partition, service, region, accountId, resourceId: resource.split(/[:/]/) };
}

interface PartitionIndex {
  /** Regions listed by name, to their partition's outputs (with any per-region override). */
  readonly byRegion: ReadonlyMap<string, ValueRecord>;
  readonly byPattern: ReadonlyArray<{ readonly pattern: RegExp; readonly outputs: ValueRecord }>;
  readonly fallback: ValueRecord;
}

// Built once per partitions document: region tables flattened, regexes compiled.
const partitionIndexes = new WeakMap<PartitionsData, PartitionIndex>();

/**
 * The partition a region belongs to, as botocore and the v3 SDK decide it: a region that a
 * partition lists by name first (so an explicit listing beats another partition's pattern),
 * then the first partition whose `regionRegex` matches, and for anything else (a region
 * AWS launched after this partitions document, or nonsense) the `aws` partition, so that
 * the rule set, not this function, reports what is wrong with the region.
 */
export function partition(region: string, data: PartitionsData): ValueRecord {
  const index = indexPartitions(data);
  const listed = index.byRegion.get(region);
  if (listed) return listed;
  for (const { pattern, outputs } of index.byPattern) if (pattern.test(region)) return outputs;
  return index.fallback;
}

function indexPartitions(data: PartitionsData): PartitionIndex {
  const known = partitionIndexes.get(data);
  if (known) return known;
  const bad = (problem: string) => new EndpointError("invalid-rule-set", `partitions data: ${problem}`);
  if (typeof data !== "object" || data === null || !Array.isArray(data.partitions) || data.partitions.length === 0) {
    throw bad("expected { partitions: [...] } with at least one partition");
  }
  const byRegion = new Map<string, ValueRecord>();
  const byPattern: Array<{ pattern: RegExp; outputs: ValueRecord }> = [];
  let fallback: ValueRecord | undefined;
  for (const p of data.partitions) {
    if (typeof p?.id !== "string" || typeof p.regionRegex !== "string" || !isRecord(p.outputs) || !isRecord(p.regions)) {
      throw bad("every partition needs id, regionRegex, outputs and regions");
    }
    const outputs: ValueRecord = Object.freeze({ ...(p.outputs as ValueRecord), name: p.outputs.name ?? p.id });
    let pattern: RegExp;
    try {
      // No "u" flag: the published patterns escape "-" outside classes, which it rejects.
      pattern = new RegExp(p.regionRegex);
    } catch {
      throw bad(`partition ${p.id} has an invalid regionRegex`);
    }
    byPattern.push({ pattern, outputs });
    for (const [region, info] of Object.entries(p.regions)) {
      if (byRegion.has(region)) continue;
      const overrides = Object.entries(info ?? {}).filter(
        ([key, v]) => key !== "description" && (typeof v === "string" || typeof v === "boolean"),
      );
      byRegion.set(region, overrides.length ? Object.freeze({ ...outputs, ...Object.fromEntries(overrides) }) : outputs);
    }
    if (p.id === "aws") fallback = outputs;
  }
  const index: PartitionIndex = { byRegion, byPattern, fallback: fallback ?? byPattern[0]!.outputs };
  partitionIndexes.set(data, index);
  return index;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
