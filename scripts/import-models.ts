/**
 * The model importer: botocore data directory ──▶ models/ (facts only, no documentation).
 *
 *   node scripts/import-models.ts [--out <dir>] [--all | <service>...]
 *
 * Source: `STRATUS_MODELS`, else `../shared/models` next to the repository. Any botocore
 * data directory works (`botocore/data` of a checkout or an installed wheel; `.json.gz`
 * files are read too). By default the services in scripts/codegen/services.ts are
 * imported; `--all` takes every service folder, names on the command line take those.
 * For each, the newest API version that has a service-2.json (sorted folder names, as
 * botocore picks) becomes models/<service>.json. partitions.json becomes
 * models/partitions.json, and models/SOURCE.md records where it all came from.
 *
 * Output is deterministic (sorted keys, two-space JSON), so importing the same source twice
 * changes nothing, and a newer botocore shows up as a readable diff. What is dropped and
 * why is in scripts/codegen/clean-model.ts.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { listServices, readDataFile, readService, readSourceInfo, type JsonObject } from "./codegen/botocore-data.ts";
import { cleanService, deepSorted, isObject } from "./codegen/clean-model.ts";
import { SERVICES } from "./codegen/services.ts";

export const REPO_ROOT = resolve(import.meta.dirname, "..");

export function defaultDataDir(): string {
  return resolve(process.env["STRATUS_MODELS"] ?? join(REPO_ROOT, "..", "shared", "models"));
}

export interface ImportOptions {
  readonly dataDir: string;
  readonly outDir: string;
  /** Folder names; default: SERVICES. */
  readonly services?: readonly string[];
}

export interface ImportedService {
  readonly service: string;
  readonly apiVersion: string;
  readonly operations: number;
  readonly shapes: number;
}

export function importModels(options: ImportOptions): ImportedService[] {
  const services = options.services ?? SERVICES;
  mkdirSync(options.outDir, { recursive: true });
  const written = new Set<string>();
  const summary: ImportedService[] = [];
  for (const folder of [...services].sort()) {
    const source = readService(options.dataDir, folder);
    const model = cleanService(source);
    writeJson(join(options.outDir, `${folder}.json`), model);
    written.add(`${folder}.json`);
    summary.push({
      service: folder,
      apiVersion: source.apiVersion,
      operations: Object.keys(model.operations).length,
      shapes: Object.keys(model.shapes).length,
    });
  }
  const partitions = readDataFile(options.dataDir, "partitions.json");
  if (partitions) {
    writeJson(join(options.outDir, "partitions.json"), cleanPartitions(partitions));
    written.add("partitions.json");
  }
  // A service no longer imported must not linger and keep generating a package.
  for (const name of readdirSync(options.outDir)) {
    if (name.endsWith(".json") && !written.has(name)) rmSync(join(options.outDir, name));
  }
  writeFileSync(join(options.outDir, "SOURCE.md"), sourceMarkdown(options.dataDir, summary));
  return summary;
}

/**
 * partitions.json without the regions' human-readable `description` (display names that the
 * resolver never reads); everything `aws.partition` needs stays.
 */
function cleanPartitions(raw: JsonObject): JsonObject {
  const strip = (value: unknown, key: string | undefined): unknown => {
    if (Array.isArray(value)) return value.map((v) => strip(v, undefined));
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const k of Object.keys(value).sort()) {
      if (key === "region" && k === "description") continue;
      out[k] = strip(value[k], key === "regions" ? "region" : k) as JsonObject[string];
    }
    return out;
  };
  return deepSorted(strip(raw, undefined) as JsonObject) as JsonObject;
}

function sourceMarkdown(dataDir: string, summary: readonly ImportedService[]): string {
  const info = readSourceInfo(dataDir);
  const lines = [
    "# Where these models come from",
    "",
    "Written by `scripts/import-models.ts` (`npm run gen`); do not edit by hand.",
    "",
    `- Source: a botocore data directory (repository ${info.repository}, commit \`${info.commit}\`, botocore version ${info.version}).`,
    "- Kept: facts only (metadata, operations, shapes with their enum values, paginators, waiters,",
    "  endpoint rule sets, partitions). Removed: every documentation string, documentation URL,",
    "  deprecation message, waiter description and the regions' display names.",
    "- Each service is the newest API version in the source that has a `service-2.json`.",
    "",
    "| service | API version | operations | shapes |",
    "| --- | --- | --- | --- |",
    ...summary.map((s) => `| ${s.service} | ${s.apiVersion} | ${s.operations} | ${s.shapes} |`),
    "",
  ];
  return lines.join("\n");
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function main(argv: readonly string[]): void {
  let outDir = join(REPO_ROOT, "models");
  let services: readonly string[] | undefined;
  const names: string[] = [];
  const dataDir = defaultDataDir();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--out") outDir = resolve(argv[++i] ?? "");
    else if (arg === "--all") services = listServices(dataDir);
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
    else names.push(arg);
  }
  if (names.length) services = names;
  const started = performance.now();
  const summary = importModels({ dataDir, outDir, ...(services ? { services } : {}) });
  const ops = summary.reduce((n, s) => n + s.operations, 0);
  const shapes = summary.reduce((n, s) => n + s.shapes, 0);
  console.log(
    `imported ${summary.length} services (${ops} operations, ${shapes} shapes) from ${dataDir} into ${outDir} in ${Math.round(performance.now() - started)} ms`,
  );
}

if (import.meta.main) main(process.argv.slice(2));
