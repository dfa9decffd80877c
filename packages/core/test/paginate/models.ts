/**
 * Reads paginator entries from the botocore models in ../shared (in place, never copied),
 * so the tests run on the exact objects the generator will emit.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PaginatorConfig } from "../../src/paginate/index.ts";

const MODELS = join(import.meta.dirname, "..", "..", "..", "..", "..", "shared", "models");

function newestVersion(service: string): string {
  const versions = readdirSync(join(MODELS, service)).sort();
  const newest = versions[versions.length - 1];
  if (newest === undefined) throw new Error(`no model folder for ${service}`);
  return join(MODELS, service, newest);
}

export function paginatorConfig(service: string, operation: string): PaginatorConfig {
  const file = JSON.parse(readFileSync(join(newestVersion(service), "paginators-1.json"), "utf8")) as {
    pagination: Record<string, PaginatorConfig>;
  };
  const config = file.pagination[operation];
  if (config === undefined) throw new Error(`${service} has no paginator for ${operation}`);
  return config;
}
