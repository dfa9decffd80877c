/**
 * A service package's entry point (src/index.ts) and package.json.
 *
 * The entry point exports the client class and its `definition`, the error classes, every
 * type, and the schema as a namespace (`schema.GetObject`, for `client.send`). When the
 * package has a hand-written src/customizations/index.ts, that is re-exported too: the
 * generator never writes into src/customizations/, it only looks whether it is there.
 *
 * package.json: the generated fields are set on every run; anything else a person added
 * (more dependencies, keywords…) is kept.
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
    'export * as schema from "./generated/schema.ts";\n',
    ...(hasCustomizations ? ['export * from "./customizations/index.ts";\n'] : []),
  ].join("");
}

export function packageJson(ctx: ServiceContext, existing: Record<string, unknown> | undefined): string {
  const apiVersion = typeof ctx.model.metadata["apiVersion"] === "string" ? ctx.model.metadata["apiVersion"] : "unknown";
  const dependencies = { ...(isRecord(existing?.["dependencies"]) ? existing["dependencies"] : {}), "@stratus/core": "workspace:*" };
  const manifest: Record<string, unknown> = {
    name: `@stratus/${ctx.folder}`,
    version: typeof existing?.["version"] === "string" ? existing["version"] : "0.1.0",
    description: `Stratus client for ${ctx.clientName} (API version ${apiVersion}), generated from the AWS model`,
    type: "module",
    license: "Apache-2.0",
    sideEffects: false,
    exports: { ".": "./src/index.ts" },
    engines: { node: ">=22.18" },
    ...existing,
  };
  // Generated fields win over what was there.
  Object.assign(manifest, {
    name: `@stratus/${ctx.folder}`,
    type: "module",
    sideEffects: false,
    exports: { ".": "./src/index.ts" },
    dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => (a < b ? -1 : 1))),
  });
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
