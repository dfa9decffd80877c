/**
 * undici, loaded on first use and only if it can be: the Node transport's engine of choice
 * (node-handler.ts), and absent from bundles.
 *
 * The specifier is a variable on purpose. Bundlers (esbuild, Rollup, webpack) follow a
 * literal `import("undici")` and inline ~700 KiB of it into every bundle, including a
 * Lambda function's that would start faster without it. With a variable they leave the
 * import alone: run from node_modules (the usual install), undici resolves as any
 * dependency does; run from a bundle shipped without node_modules, the import fails and
 * the Node transport uses `node:http` instead (node-http-transport.ts), with the same pool
 * size, limits and errors. Browsers and Workers never get here (client/transport.ts sends
 * them to fetch).
 */
import type * as Undici from "undici";
import { isNodeJs } from "../platform/index.ts";

export type UndiciModule = typeof Undici;

const SPECIFIER = "undici";

let loading: Promise<UndiciModule | undefined> | undefined;

/**
 * The undici module, or undefined when it cannot be imported here. Resolved once per
 * process. Node.js only: Bun answers `import("undici")` with a stand-in of its own whose
 * Agent cannot be destroyed, so a Node handler made by hand there runs on node:http.
 */
export function loadUndici(): Promise<UndiciModule | undefined> {
  if (!isNodeJs()) return Promise.resolve(undefined);
  loading ??= (import(/* webpackIgnore: true */ /* @vite-ignore */ SPECIFIER) as Promise<UndiciModule>).then(
    (module) => (typeof module.Agent === "function" ? module : undefined),
    () => undefined,
  );
  return loading;
}
