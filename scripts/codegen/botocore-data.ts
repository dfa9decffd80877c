/**
 * Reading a botocore data directory: `<service>/<api-version>/service-2.json` and its
 * siblings (`paginators-1.json`, `waiters-2.json`, `endpoint-rule-set-1.json`), plus
 * `partitions.json` at the top. botocore ships some files gzip-compressed (`*.json.gz`),
 * so every read tries the plain name first, then `.gz`.
 *
 * Only this file touches the source directory's layout; the importer sees plain JSON.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One service as found in the data directory, files parsed, nothing removed yet. */
export interface BotocoreService {
  /** The folder name, e.g. "s3", "sso-oidc": also the package name. */
  readonly folder: string;
  readonly apiVersion: string;
  readonly service: JsonObject;
  readonly paginators: JsonObject | undefined;
  readonly waiters: JsonObject | undefined;
  readonly endpointRuleSet: JsonObject | undefined;
}

/** Reads `<dir>/<name>` or `<dir>/<name>.gz`; undefined when neither exists. */
export function readDataFile(dir: string, name: string): JsonObject | undefined {
  const plain = join(dir, name);
  const gz = `${plain}.gz`;
  let text: string;
  if (existsSync(plain)) text = readFileSync(plain, "utf8");
  else if (existsSync(gz)) text = gunzipSync(readFileSync(gz)).toString("utf8");
  else return undefined;
  const parsed = JSON.parse(text) as Json;
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`${plain}: expected a JSON object`);
  }
  return parsed;
}

function hasDataFile(dir: string, name: string): boolean {
  return existsSync(join(dir, name)) || existsSync(join(dir, `${name}.gz`));
}

/** Service folders of a data directory: those with at least one version holding a service-2.json. */
export function listServices(dataDir: string): string[] {
  return readdirSync(dataDir)
    .filter((name) => !name.startsWith(".") && statSync(join(dataDir, name)).isDirectory())
    .filter((name) => newestVersion(join(dataDir, name)) !== undefined)
    .sort();
}

/** The last API-version folder, in sorted order, that has a service-2.json (botocore's rule). */
export function newestVersion(serviceDir: string): string | undefined {
  const versions = readdirSync(serviceDir)
    .filter((name) => statSync(join(serviceDir, name)).isDirectory() && hasDataFile(join(serviceDir, name), "service-2.json"))
    .sort();
  return versions.at(-1);
}

export function readService(dataDir: string, folder: string): BotocoreService {
  const serviceDir = join(dataDir, folder);
  if (!existsSync(serviceDir)) throw new Error(`${dataDir} has no service folder "${folder}"`);
  const apiVersion = newestVersion(serviceDir);
  if (!apiVersion) throw new Error(`${serviceDir} has no API version with a service-2.json`);
  const dir = join(serviceDir, apiVersion);
  const service = readDataFile(dir, "service-2.json");
  if (!service) throw new Error(`${dir}: service-2.json vanished while reading`);
  return {
    folder,
    apiVersion,
    service,
    paginators: readDataFile(dir, "paginators-1.json"),
    waiters: readDataFile(dir, "waiters-2.json"),
    endpointRuleSet: readDataFile(dir, "endpoint-rule-set-1.json"),
  };
}

/** Commit and version named in the data directory's SOURCE.md, when it has one. */
export function readSourceInfo(dataDir: string): { readonly commit: string; readonly version: string; readonly repository: string } {
  const file = join(dataDir, "SOURCE.md");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const commit = /commit[^0-9a-f\n]*\b([0-9a-f]{40})\b/i.exec(text)?.[1] ?? "unknown";
  const version =
    /__version__\s*=\s*['"]([^'"]+)['"]/.exec(text)?.[1] ?? /\bversion\b[^0-9\n]*(\d+\.\d+\.\d+)/i.exec(text)?.[1] ?? "unknown";
  const repository = /(https:\/\/github\.com\/[\w.-]+\/[\w.-]+)/.exec(text)?.[1] ?? "unknown";
  return { commit, version, repository };
}
