/**
 * Reads waiter entries from the botocore models in ../shared (in place, never copied), so
 * the tests run on the exact objects the generator will emit.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { WaiterConfig } from "../../src/wait/index.ts";

const MODELS = join(import.meta.dirname, "..", "..", "..", "..", "..", "shared", "models");

export function waiterConfig(service: string, name: string): WaiterConfig {
  const versions = readdirSync(join(MODELS, service)).sort();
  const newest = versions[versions.length - 1];
  if (newest === undefined) throw new Error(`no model folder for ${service}`);
  const file = JSON.parse(readFileSync(join(MODELS, service, newest, "waiters-2.json"), "utf8")) as {
    waiters: Record<string, WaiterConfig>;
  };
  const config = file.waiters[name];
  if (config === undefined) throw new Error(`${service} has no waiter ${name}`);
  return config;
}
