/**
 * What the JavaScript runtime offers, asked without importing anything Node-only, so that
 * every module of the core loads on Cloudflare Workers (with or without `nodejs_compat`),
 * Deno, Bun and browsers as well as on Node.js.
 *
 *   isNodeJs()         whether this is Node.js itself (the transport's choice, see below)
 *   processEnv()       `process.env`, or {} where there is no `process`
 *   nodeBuiltin(id)    a Node built-in module where the runtime has one, else undefined,
 *                      through `process.getBuiltinModule` (Node 22.3+, Bun, Deno, Workers
 *                      with nodejs_compat): synchronous, and invisible to bundlers, so a
 *                      bundle for the edge carries no `import "node:…"` a runtime may lack.
 *
 * Code that needs a built-in asynchronously (reading a file) imports it with `await
 * import("node:…")` where it is used instead; code that needs one synchronously (gzip,
 * MD5, the home directory) asks `nodeBuiltin` and has a plan for `undefined`.
 *
 * node:http is the exception: always through `nodeBuiltin` where it exists. Node builds an
 * ES module view of a built-in by reading every export, and node:http's exports include
 * lazy getters that load Node's own copy of undici: `import("node:http")` costs ~50 ms on
 * Node 24, `getBuiltinModule("node:http")` ~7 ms (a bundled app's cold start).
 *
 * The Node.js rule, in order:
 *   1. `navigator.userAgent` when there is one (Node 21+, Bun, Deno, Workers, browsers):
 *      Node.js says "Node.js/<major>"; Bun says "Bun/…", Deno "Deno/…", Workers
 *      "Cloudflare-Workers", browsers "Mozilla/…". Only "Node.js/" counts as Node.
 *   2. without a navigator: `process.versions.node`, unless `process.versions.bun` or a
 *      global `Deno` says it is one of those.
 * `process.versions.node` alone cannot decide: Bun and Deno report the Node version they
 * emulate, and Workers with `nodejs_compat` report one too ("22.x").
 */

interface ProcessLike {
  readonly versions?: Readonly<Record<string, string | undefined>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  getBuiltinModule?(id: string): unknown;
}

function processObject(): ProcessLike | undefined {
  return (globalThis as { process?: ProcessLike }).process;
}

/**
 * `process.env`, or an empty environment where the runtime has no `process` (a browser, a
 * Worker without nodejs_compat): the default wherever a caller gives no `env`.
 */
export function processEnv(): Readonly<Record<string, string | undefined>> {
  return processObject()?.env ?? {};
}

export function isNodeJs(): boolean {
  const userAgent = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent;
  if (typeof userAgent === "string") return userAgent.startsWith("Node.js/");
  const versions = processObject()?.versions;
  return typeof versions?.node === "string" && versions.bun === undefined && !("Deno" in globalThis);
}

/** Node built-ins by name, typed as `import("node:…")` gives them. */
interface Builtins {
  "node:crypto": typeof import("node:crypto");
  "node:fs": typeof import("node:fs");
  "node:http": typeof import("node:http");
  "node:https": typeof import("node:https");
  "node:os": typeof import("node:os");
  "node:path": typeof import("node:path");
  "node:zlib": typeof import("node:zlib");
  "node:util": typeof import("node:util");
}

/** The built-in module, or undefined where the runtime has none (see the header). */
export function nodeBuiltin<Id extends keyof Builtins>(id: Id): Builtins[Id] | undefined {
  const proc = processObject();
  if (typeof proc?.getBuiltinModule !== "function") return undefined;
  try {
    return (proc.getBuiltinModule(id) as Builtins[Id] | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}
