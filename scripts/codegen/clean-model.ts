/**
 * From a botocore service (service-2 + paginators-1 + waiters-2 + endpoint-rule-set-1) to
 * the documentation-free model the repository keeps in models/<service>.json:
 *
 *   { metadata, operations, shapes, paginators?, waiters?, endpointRuleSet?, clientContextParams? }
 *
 * Rules:
 * - Prose never passes: `documentation`, `documentationUrl`, `deprecatedMessage`, a waiter's
 *   `description`, a rule's or parameter's `documentation`. `deprecated` stays as a boolean
 *   (also set when only a `deprecatedMessage` marked it). Everything else is kept as it is:
 *   the model's facts, enum values included, are what types and the wire need.
 * - Each part is walked where its layout is known, so a member or shape that happens to be
 *   called "documentation" is kept; a `documentation` key anywhere else would be caught by
 *   the tests (test/generator/no-documentation.test.ts).
 * - Keys are sorted for stable diffs, except a structure's `members`, whose order is the
 *   model's serialization order (XML and query bodies list members in that order).
 */
import type { BotocoreService, Json, JsonObject } from "./botocore-data.ts";

/** One service in models/: botocore's vocabulary, facts only. */
export interface StratusModel {
  readonly metadata: JsonObject;
  readonly operations: { readonly [name: string]: JsonObject };
  readonly shapes: { readonly [name: string]: JsonObject };
  /** paginators-1.json's `pagination` entries, by operation name. */
  readonly paginators?: { readonly [operation: string]: JsonObject };
  /** waiters-2.json's `waiters` entries, by waiter name. */
  readonly waiters?: { readonly [name: string]: JsonObject };
  readonly endpointRuleSet?: JsonObject;
  /** service-2.json's top-level client context parameters (S3's Accelerate, ForcePathStyle…). */
  readonly clientContextParams?: JsonObject;
}

const PROSE = new Set(["documentation", "documentationUrl", "deprecatedMessage"]);

/** The metadata facts kept; the rest of botocore's metadata is not needed downstream. */
const METADATA_KEYS = [
  "apiVersion",
  "auth",
  "awsQueryCompatible",
  "checksumFormat",
  "endpointPrefix",
  "globalEndpoint",
  "jsonVersion",
  "protocol",
  "protocolSettings",
  "protocols",
  "serviceAbbreviation",
  "serviceFullName",
  "serviceId",
  "signatureVersion",
  "signingName",
  "targetPrefix",
  "uid",
  "xmlNamespace",
];

export function cleanService(source: BotocoreService): StratusModel {
  const service = source.service;
  const operations = sortedEntries(asObject(service["operations"], "operations"), cleanOperation);
  const shapes = sortedEntries(asObject(service["shapes"], "shapes"), cleanShape);
  const metadata: JsonObject = {};
  const rawMetadata = asObject(service["metadata"], "metadata");
  for (const key of METADATA_KEYS) {
    const value = rawMetadata[key];
    if (value !== undefined) metadata[key] = deepSorted(value);
  }
  const model: { -readonly [K in keyof StratusModel]: StratusModel[K] } = { metadata, operations, shapes };
  const clientContext = service["clientContextParams"];
  if (isObject(clientContext)) model.clientContextParams = sortedEntries(clientContext, (p) => withoutProse(asObject(p, "clientContextParams")));
  const pagination = source.paginators?.["pagination"];
  if (isObject(pagination) && Object.keys(pagination).length) {
    model.paginators = sortedEntries(pagination, (p) => withoutProse(asObject(p, "paginator")));
  }
  const waiters = source.waiters?.["waiters"];
  if (isObject(waiters) && Object.keys(waiters).length) {
    model.waiters = sortedEntries(waiters, (w) => withoutProse(asObject(w, "waiter"), ["description"]));
  }
  if (source.endpointRuleSet) model.endpointRuleSet = cleanRuleSet(source.endpointRuleSet);
  return sortKeys(model);
}

function cleanOperation(raw: Json): JsonObject {
  const op = asObject(raw, "operation");
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(op)) {
    if (PROSE.has(key) || key === "deprecated") continue;
    if (key === "input" || key === "output") out[key] = cleanRef(value);
    else if (key === "errors" && Array.isArray(value)) out[key] = value.map(cleanRef);
    else out[key] = deepSorted(value);
  }
  if (isDeprecated(op)) out["deprecated"] = true;
  return sortKeys(out);
}

function cleanShape(raw: Json): JsonObject {
  const shape = asObject(raw, "shape");
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(shape)) {
    if (PROSE.has(key) || key === "deprecated") continue;
    if (key === "members" && isObject(value)) {
      // Model order, not sorted: it is the serialization order.
      const members: JsonObject = {};
      for (const [name, member] of Object.entries(value)) members[name] = cleanRef(member);
      out[key] = members;
    } else if ((key === "member" || key === "key" || key === "value") && isObject(value)) {
      out[key] = cleanRef(value);
    } else {
      out[key] = deepSorted(value);
    }
  }
  if (isDeprecated(shape)) out["deprecated"] = true;
  return sortKeys(out);
}

/** A reference to a shape (`{ shape, location, locationName, … }`), as members and operations hold. */
function cleanRef(raw: Json): JsonObject {
  const ref = asObject(raw, "shape reference");
  const out = withoutProse(ref, ["deprecated"]);
  if (isDeprecated(ref)) out["deprecated"] = true;
  return sortKeys(out);
}

function isDeprecated(o: JsonObject): boolean {
  return o["deprecated"] === true || typeof o["deprecatedMessage"] === "string";
}

function cleanRuleSet(raw: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    if (PROSE.has(key)) continue;
    if (key === "parameters" && isObject(value)) out[key] = sortedEntries(value, cleanParameter);
    else if (key === "rules" && Array.isArray(value)) out[key] = value.map(cleanRule);
    else out[key] = deepSorted(value);
  }
  return sortKeys(out);
}

function cleanParameter(raw: Json): JsonObject {
  const param = asObject(raw, "rule-set parameter");
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(param)) {
    if (PROSE.has(key)) continue;
    // { message, since }: the message is prose; the date is a fact.
    if (key === "deprecated" && isObject(value)) out[key] = withoutProse(value, ["message"]);
    else out[key] = deepSorted(value);
  }
  return sortKeys(out);
}

function cleanRule(raw: Json): JsonObject {
  const rule = asObject(raw, "rule");
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(rule)) {
    if (PROSE.has(key)) continue;
    out[key] = key === "rules" && Array.isArray(value) ? value.map(cleanRule) : deepSorted(value);
  }
  return sortKeys(out);
}

/** A deep copy without prose keys at any depth, keys sorted (for parts with no names of their own). */
function withoutProse(o: JsonObject, extra: readonly string[] = []): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(o)) {
    if (PROSE.has(key) || extra.includes(key)) continue;
    out[key] = isObject(value) ? withoutProse(value) : deepSorted(value);
  }
  return sortKeys(out);
}

function sortedEntries(o: JsonObject, clean: (value: Json) => JsonObject): { [name: string]: JsonObject } {
  const out: { [name: string]: JsonObject } = {};
  for (const key of Object.keys(o).sort()) out[key] = clean(o[key] as Json);
  return out;
}

export function deepSorted(value: Json): Json {
  if (Array.isArray(value)) return value.map(deepSorted);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort()) out[key] = deepSorted(value[key] as Json);
    return out;
  }
  return value;
}

function sortKeys<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(o).sort()) out[key] = (o as Record<string, unknown>)[key];
  return out as T;
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function asObject(value: Json | undefined, what: string): JsonObject {
  if (!isObject(value)) throw new Error(`expected ${what} to be a JSON object`);
  return value;
}
