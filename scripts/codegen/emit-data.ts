/**
 * The data files that go to the core as they are in the model (documentation already
 * removed by the importer): paginators.ts and waiters.ts (botocore's entries, one constant
 * per operation / waiter), endpoint-rule-set.ts, and the core's partitions-data.ts.
 *
 * The endpoint rule set is written in the core's compact form (endpoints/compact.ts:
 * JSON text, each repeated subtree once), expanded by the core when the package is
 * imported: S3's goes from ~105 KB of minified object literal to ~41 KB, and JSON.parse
 * reads it several times faster than V8 parses a literal. The call is marked pure so that
 * a bundle that never touches the definition drops it. Every emit checks that the text
 * expands back to exactly the model's rule set.
 */
import { isDeepStrictEqual } from "node:util";
import { compactRuleSet, expandRuleSet, type RuleSet } from "@stratus/core";
import type { JsonObject } from "./botocore-data.ts";
import type { ServiceContext } from "./context.ts";
import { generatedHeader } from "./header.ts";
import { pagConst, waiterConst } from "./names.ts";
import { printLiteral } from "./print.ts";

export function emitPaginators(ctx: ServiceContext): string | undefined {
  const list = Object.entries(ctx.model.paginators ?? {})
    .filter(([name]) => ctx.operations.has(name))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  if (!list.length) return undefined;
  return [
    generatedHeader(ctx.source),
    'import type { PaginatorConfig } from "@stratus/core";\n\n',
    ...list.map(([name, config]) => `export const ${pagConst(name)}: PaginatorConfig = ${printLiteral(config)};\n`),
  ].join("");
}

export function emitWaiters(ctx: ServiceContext): string | undefined {
  const list = Object.entries(ctx.model.waiters ?? {})
    .filter(([, w]) => typeof w["operation"] === "string" && ctx.operations.has(w["operation"]))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  if (!list.length) return undefined;
  return [
    generatedHeader(ctx.source),
    'import type { WaiterConfig } from "@stratus/core";\n\n',
    ...list.map(([name, config]) => `export const ${waiterConst(name)}: WaiterConfig = ${printLiteral(config)};\n`),
  ].join("");
}

export function emitRuleSet(ctx: ServiceContext): string {
  const ruleSet = ctx.model.endpointRuleSet as RuleSet | undefined;
  if (!ruleSet) throw new Error(`${ctx.source} has no endpoint rule set: every service package needs one`);
  const text = compactRuleSet(ruleSet);
  if (!isDeepStrictEqual(expandRuleSet(text), ruleSet)) throw new Error(`${ctx.source}: the compact endpoint rule set does not expand to the model's`);
  return [
    generatedHeader(ctx.source),
    'import { expandRuleSet, type RuleSet } from "@stratus/core";\n\n',
    "/** The endpoint rule set, as compact JSON (the core's endpoints/compact.ts), expanded once on import. */\n",
    `export const endpointRuleSet: RuleSet = /* @__PURE__ */ expandRuleSet(${singleQuoted(text)});\n`,
  ].join("");
}

/**
 * A JS string literal in single quotes, so the JSON text's own double quotes stay as they
 * are; a single quote is written \u0027, an escape that JSON and JS read alike.
 */
function singleQuoted(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\u0027")}'`;
}

export function emitPartitions(partitions: JsonObject): string {
  return [
    generatedHeader("models/partitions.json"),
    "/** partitions.json: what the endpoint rules' `aws.partition` reads (regions' display names left out). */\n",
    'import type { PartitionsData } from "./types.ts";\n\n',
    `export const partitionsData: PartitionsData = ${printLiteral(partitions)};\n`,
  ].join("");
}
