/**
 * The installed version of a package the report's Versions table does not list (the
 * libraries over a peer's client, such as @aws-sdk/lib-storage), for a bench's method text.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./common.ts";

export function packageVersion(name: string): string {
  const manifest = join(ROOT, "node_modules", name, "package.json");
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version : "not installed";
}
