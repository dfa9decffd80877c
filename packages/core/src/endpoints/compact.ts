/**
 * The form in which a generated package ships its endpoint rule set: compact JSON text,
 * each repeated subtree written once. S3's rule set is 117 KB of JSON, most of it the same
 * conditions, auth-scheme records and error rules over and over; stored once each it is
 * about 41 KB.
 *
 *   text     = JSON of [shared, root]
 *   shared   = the repeated subtrees, each encoded like root; an entry refers only to
 *              entries before it (a subtree's parts are met, and stored, before it)
 *   root     = the rule set, where a stored subtree stands as { "#": <index in shared> }
 *
 * Why text: V8 parses JSON text several times faster than the same data as an object
 * literal in code (S3's rule set: ~3 ms as JSON.parse vs ~12 ms as a literal, measured on
 * import), and a rule set is plain data anyway. Expanding makes the stored subtrees shared
 * objects in the result, not copies: the rule-set compiler only reads its input.
 *
 * `{ "#": n }` is reserved: compactRuleSet refuses a rule set that holds an object of that
 * shape, so the encoding cannot be mistaken for data. The generator encodes with
 * compactRuleSet and checks that expandRuleSet gives back an equal document.
 */
import type { RuleSet } from "./types.ts";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const REF = "#";

/** The compact text of a rule set (see the header). */
export function compactRuleSet(ruleSet: RuleSet): string {
  const document = ruleSet as unknown as Json;
  const counts = new Map<string, number>();
  countSubtrees(document, counts);
  const shared: Json[] = [];
  const indexOf = new Map<string, number>();
  const encode = (value: Json): Json => {
    if (value === null || typeof value !== "object") return value;
    if (isRef(value)) throw new Error(`a rule set may not hold ${JSON.stringify(value)}: that is the compact form's reference`);
    const key = JSON.stringify(value);
    const stored = indexOf.get(key);
    if (stored !== undefined) return { [REF]: stored };
    const encoded = Array.isArray(value) ? value.map(encode) : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
    if (!worthSharing(key, counts.get(key) ?? 0, shared.length)) return encoded;
    indexOf.set(key, shared.length);
    shared.push(encoded);
    return { [REF]: shared.length - 1 };
  };
  const root = encode(document);
  return JSON.stringify([shared, root]);
}

/** The rule set that compactRuleSet's text stands for. */
export function expandRuleSet(text: string): RuleSet {
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed) || parsed.length !== 2 || !Array.isArray(parsed[0])) throw new Error("not a compact rule set: expected [shared, root]");
  const shared = parsed[0] as Json[];
  for (let i = 0; i < shared.length; i++) shared[i] = resolveRefs(shared[i] as Json, shared, i);
  return resolveRefs(parsed[1] as Json, shared, shared.length) as unknown as RuleSet;
}

/** Replaces references in place (the parsed text is ours alone); `limit`: entries below it are expanded. */
function resolveRefs(value: Json, shared: readonly Json[], limit: number): Json {
  if (value === null || typeof value !== "object") return value;
  if (isRef(value)) {
    const index = value[REF];
    if (typeof index !== "number" || !(index >= 0 && index < limit)) throw new Error(`compact rule set: bad reference ${JSON.stringify(value)}`);
    return shared[index] as Json;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = resolveRefs(value[i] as Json, shared, limit);
  } else {
    for (const key of Object.keys(value)) value[key] = resolveRefs(value[key] as Json, shared, limit);
  }
  return value;
}

function isRef(value: Json[] | { [key: string]: Json }): value is { [REF]: Json } {
  if (Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === REF;
}

function countSubtrees(value: Json, counts: Map<string, number>): void {
  if (value === null || typeof value !== "object") return;
  const key = JSON.stringify(value);
  counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const child of Array.isArray(value) ? value : Object.values(value)) countSubtrees(child, counts);
}

/** Stored once plus a reference per use must be shorter than writing it out each time. */
function worthSharing(key: string, count: number, nextIndex: number): boolean {
  const reference = `{"${REF}":${nextIndex}}`.length;
  return count >= 2 && key.length * (count - 1) > reference * count + 1;
}
