/**
 * The data files that go to the core as they are in the model (documentation already
 * removed by the importer): paginators.ts and waiters.ts (botocore's entries, one constant
 * per operation / waiter), endpoint-rule-set.ts, and the core's partitions-data.ts.
 */
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
  if (!ctx.model.endpointRuleSet) throw new Error(`${ctx.source} has no endpoint rule set: every service package needs one`);
  return [
    generatedHeader(ctx.source),
    'import type { RuleSet } from "@stratus/core";\n\n',
    `export const endpointRuleSet: RuleSet = ${printLiteral(ctx.model.endpointRuleSet)};\n`,
  ].join("");
}

export function emitPartitions(partitions: JsonObject): string {
  return [
    generatedHeader("models/partitions.json"),
    "/** partitions.json: what the endpoint rules' `aws.partition` reads (regions' display names left out). */\n",
    'import type { PartitionsData } from "./types.ts";\n\n',
    `export const partitionsData: PartitionsData = ${printLiteral(partitions)};\n`,
  ].join("");
}
