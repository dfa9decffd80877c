/**
 * A service package's entry point (src/index.ts) and package.json.
 *
 * The entry point exports the client class and its `definition`, the error classes, every
 * type, and the schema as a namespace (`schema.GetObject`, for `client.send`). When the
 * package has a hand-written src/customizations/index.ts, that is re-exported too: the
 * generator never writes into src/customizations/, it only looks whether it is there.
 *
 * package.json: the generated fields are set on every run; anything else a person added
 * (more dependencies, keywords…) is kept. Two views of the same entry points:
 *
 *   exports          the workspace's: the .ts sources, which Node runs as they are
 *   publishConfig    what `pnpm pack` / `pnpm publish` put in the tarball's manifest instead:
 *                    `exports` per runtime condition (types, node, workerd, deno, bun,
 *                    browser, default) and `types`/`main`, all in dist/ (scripts/build.ts);
 *                    pnpm also turns the `workspace:*` range on @stratus/core into the
 *                    core's version. `files` keeps the tarball to dist/.
 *
 * Entry points: "." (the client, errors, types, and `schema` as a namespace) and
 * "./schema" (the operation and shape schemas as plain named exports). The second is for
 * the modular path, `client.send(GetObject, …)` on a bare ServiceClient: bundlers (esbuild
 * at least) keep every member of a namespace that a module re-exports (`export * as
 * schema`), so importing from "./schema" directly is what lets a bundle hold only the
 * operations it calls. The core's hand-written manifest has the same layout, "." only.
 */
import type { ServiceContext } from "./context.ts";
import { generatedHeader } from "./header.ts";

export function emitIndex(ctx: ServiceContext, hasCustomizations: boolean): string {
  return [
    generatedHeader(ctx.source),
    `/** @stratus/${ctx.folder}: the ${ctx.clientName} client, its errors and types. */\n`,
    `export { ${ctx.clientName}, definition } from "./generated/client.ts";\n`,
    'export * from "./generated/errors.ts";\n',
    'export type * from "./generated/types.ts";\n',
    // No `export * as schema`: the operation schemas are their own entry point
    // (`@stratus/<service>/schema`). A namespace of every shape here cost an unbundled
    // app ~18 ms of compiling on import (one getter per constant), used or not.
    ...(hasCustomizations ? ['export * from "./customizations/index.ts";\n'] : []),
  ].join("");
}

/** Runtime conditions a published entry point names, in the order a resolver tries them. */
export const RUNTIME_CONDITIONS = ["node", "workerd", "deno", "bun", "browser", "default"] as const;

/** Subpath ──▶ the source file it is in the workspace (relative to the package folder). */
export const SERVICE_ENTRY_POINTS: Readonly<Record<string, string>> = {
  ".": "./src/index.ts",
  "./schema": "./src/generated/schema.ts",
};

/** The workspace's `exports`: every subpath straight to its source. */
export function sourceExports(entries: Readonly<Record<string, string>>): Record<string, string> {
  return { ...entries, "./package.json": "./package.json" };
}

/** The published `exports`: ./src/x.ts ──▶ types ./dist/x.d.ts, then every runtime to ./dist/x.js. */
export function publishedExports(entries: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [subpath, source] of Object.entries(entries)) {
    const base = distBase(source);
    out[subpath] = { types: `${base}.d.ts`, ...Object.fromEntries(RUNTIME_CONDITIONS.map((c) => [c, `${base}.js`])) };
  }
  out["./package.json"] = "./package.json";
  return out;
}

/** ./src/generated/schema.ts ──▶ ./dist/generated/schema */
function distBase(source: string): string {
  if (!source.startsWith("./src/") || !source.endsWith(".ts")) throw new Error(`an entry point must be ./src/**.ts: ${source}`);
  return `./dist/${source.slice("./src/".length, -".ts".length)}`;
}

export function packageJson(ctx: ServiceContext, existing: Record<string, unknown> | undefined): string {
  const apiVersion = typeof ctx.model.metadata["apiVersion"] === "string" ? ctx.model.metadata["apiVersion"] : "unknown";
  const dependencies = { ...(isRecord(existing?.["dependencies"]) ? existing["dependencies"] : {}), "@stratus/core": "workspace:*" };
  const generated = {
    name: `@stratus/${ctx.folder}`,
    type: "module",
    sideEffects: false,
    exports: sourceExports(SERVICE_ENTRY_POINTS),
    files: ["dist"],
    publishConfig: {
      ...(isRecord(existing?.["publishConfig"]) ? existing["publishConfig"] : {}),
      exports: publishedExports(SERVICE_ENTRY_POINTS),
      types: "./dist/index.d.ts",
      main: "./dist/index.js",
    },
    dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
  const manifest: Record<string, unknown> = {
    name: generated.name,
    version: typeof existing?.["version"] === "string" ? existing["version"] : "0.1.0",
    description: `Stratus client for ${ctx.clientName} (API version ${apiVersion}), generated from the AWS model`,
    type: "module",
    license: "Apache-2.0",
    sideEffects: false,
    exports: generated.exports,
    files: generated.files,
    publishConfig: generated.publishConfig,
    engines: { node: ">=22.18" },
    ...existing,
  };
  // Generated fields win over what was there.
  Object.assign(manifest, generated);
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
