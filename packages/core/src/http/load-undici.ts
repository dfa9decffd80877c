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
import type { Agent } from "undici";
import { isNodeJs } from "../platform/index.ts";

export type UndiciAgent = typeof Agent;

const SPECIFIER = "undici";
/**
 * undici's Agent module alone. The package's entry loads everything undici has (fetch,
 * WebSocket, caches, mock agents: ~120 ms on a cold start); the Agent and what it needs
 * (pools, the HTTP/1.1 client) take about half that. undici has no `exports` map, so the
 * path is reachable; if a release moves it, the entry's `Agent` is used instead.
 */
const AGENT_SPECIFIER = "undici/lib/dispatcher/agent.js";

let loading: Promise<UndiciAgent | undefined> | undefined;

/**
 * undici's Agent class, or undefined when undici cannot be imported here. Resolved once
 * per process. Node.js only: Bun answers `import("undici")` with a stand-in of its own whose
 * Agent cannot be destroyed, so a Node handler made by hand there runs on node:http.
 */
export function loadUndiciAgent(): Promise<UndiciAgent | undefined> {
  if (!isNodeJs()) return Promise.resolve(undefined);
  loading ??= importAgent();
  return loading;
}

async function importAgent(): Promise<UndiciAgent | undefined> {
  const direct = await dynamicImport<{ default?: unknown }>(AGENT_SPECIFIER);
  if (isAgentClass(direct?.default)) return direct.default;
  const entry = await dynamicImport<{ Agent?: unknown }>(SPECIFIER);
  return isAgentClass(entry?.Agent) ? entry.Agent : undefined;
}

function dynamicImport<T>(specifier: string): Promise<T | undefined> {
  return (import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>).catch(() => undefined);
}

function isAgentClass(value: unknown): value is UndiciAgent {
  return typeof value === "function" && typeof (value.prototype as { dispatch?: unknown } | undefined)?.dispatch === "function";
}
