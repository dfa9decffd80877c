/**
 * The generator: models/ ──▶ one package per service, plus the core's partitions data.
 *
 *   node scripts/generate.ts [--out <packages dir>]
 *
 * For each models/<service>.json it writes packages/<service>/:
 *
 *   package.json                  @stratus/<service>, depending on @stratus/core only
 *   src/index.ts                  the entry point (generated)
 *   src/generated/schema.ts       runtime schema: service, operations, shapes (inert data)
 *   src/generated/types.ts        TypeScript types of inputs, outputs, structures, enums
 *   src/generated/errors.ts       <Client>ServiceError and one class per error shape
 *   src/generated/client.ts       the definition for the core and the client class
 *   src/generated/paginators.ts   paginators-1 entries (when the service has some)
 *   src/generated/waiters.ts      waiters-2 entries (when the service has some)
 *   src/generated/endpoint-rule-set.ts
 *
 * and packages/core/src/endpoints/partitions-data.ts from models/partitions.json.
 * src/generated/ belongs to the generator (files it no longer makes are removed);
 * src/customizations/ belongs to people and is never written. The generator only looks at
 * two files there: index.ts (when present, the entry point re-exports it) and hooks.ts
 * (when present, it must export `hooks: ServiceHooks`, which the definition hands to the
 * core: the one place a service's pipeline hooks are listed). Every generated file says so
 * in its first line. Output depends on models/ alone: generating twice changes nothing
 * (test/generator/up-to-date.test.ts holds the committed output to that).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { JsonObject } from "./codegen/botocore-data.ts";
import type { StratusModel } from "./codegen/clean-model.ts";
import { serviceContext } from "./codegen/context.ts";
import { emitClient } from "./codegen/emit-client.ts";
import { emitPaginators, emitPartitions, emitRuleSet, emitWaiters } from "./codegen/emit-data.ts";
import { emitErrors } from "./codegen/emit-errors.ts";
import { emitIndex, packageJson } from "./codegen/emit-package.ts";
import { emitSchema } from "./codegen/emit-schema.ts";
import { emitTypes } from "./codegen/emit-types.ts";

export const REPO_ROOT = resolve(import.meta.dirname, "..");

export interface GenerateOptions {
  readonly modelsDir: string;
  /** Where packages/<service>/ and core/src/endpoints/ are written (a packages directory). */
  readonly outDir: string;
  /**
   * The packages directory whose src/customizations/ folders and package.json files are
   * consulted (default outDir): generating into a scratch directory still sees them.
   */
  readonly existingDir?: string;
  /** Only these services (default: every models/*.json). */
  readonly services?: readonly string[];
}

export interface GeneratedService {
  readonly service: string;
  readonly clientName: string;
  readonly operations: number;
  /** Shapes emitted (reachable from an operation) / in the model. */
  readonly shapes: number;
  readonly modelShapes: number;
  readonly errors: number;
  readonly paginators: number;
  readonly waiters: number;
  /** Bytes of src/generated/, per file and in all. */
  readonly bytes: number;
  readonly files: Readonly<Record<string, number>>;
}

export function modelServices(modelsDir: string): string[] {
  return readdirSync(modelsDir)
    .filter((name) => name.endsWith(".json") && name !== "partitions.json")
    .map((name) => name.slice(0, -".json".length))
    .sort();
}

/** The files of one service package, by path relative to the package folder. */
export function generateService(
  folder: string,
  model: StratusModel,
  existingPackageDir: string,
): { files: Map<string, string>; summary: Omit<GeneratedService, "bytes" | "files"> } {
  const ctx = serviceContext(folder, model);
  const custom = join(existingPackageDir, "src", "customizations");
  const hasCustomizations = existsSync(join(custom, "index.ts"));
  const hasHooks = existsSync(join(custom, "hooks.ts"));
  const files = new Map<string, string>();
  files.set("src/generated/schema.ts", emitSchema(ctx));
  files.set("src/generated/types.ts", emitTypes(ctx));
  files.set("src/generated/errors.ts", emitErrors(ctx));
  files.set("src/generated/client.ts", emitClient(ctx, { hasHooks }));
  files.set("src/generated/endpoint-rule-set.ts", emitRuleSet(ctx));
  const paginators = emitPaginators(ctx);
  if (paginators) files.set("src/generated/paginators.ts", paginators);
  const waiters = emitWaiters(ctx);
  if (waiters) files.set("src/generated/waiters.ts", waiters);
  files.set("src/index.ts", emitIndex(ctx, hasCustomizations));
  const manifestPath = join(existingPackageDir, "package.json");
  const existing = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, unknown>) : undefined;
  files.set("package.json", packageJson(ctx, existing));
  return {
    files,
    summary: {
      service: folder,
      clientName: ctx.clientName,
      operations: ctx.operations.size,
      shapes: ctx.shapes.size,
      modelShapes: Object.keys(model.shapes).length,
      errors: ctx.errorClass.size,
      paginators: Object.keys(model.paginators ?? {}).length,
      waiters: Object.keys(model.waiters ?? {}).length,
    },
  };
}

export function generate(options: GenerateOptions): GeneratedService[] {
  const services = options.services ?? modelServices(options.modelsDir);
  const summary: GeneratedService[] = [];
  for (const folder of services) {
    const model = JSON.parse(readFileSync(join(options.modelsDir, `${folder}.json`), "utf8")) as StratusModel;
    const packageDir = join(options.outDir, folder);
    const { files, summary: counts } = generateService(folder, model, join(options.existingDir ?? options.outDir, folder));
    // src/generated/ is the generator's: clear what it no longer makes.
    const generatedDir = join(packageDir, "src", "generated");
    if (existsSync(generatedDir)) {
      for (const name of readdirSync(generatedDir)) {
        if (!files.has(`src/generated/${name}`)) rmSync(join(generatedDir, name), { recursive: true });
      }
    }
    const sizes: Record<string, number> = {};
    let bytes = 0;
    for (const [path, text] of files) {
      writeIfChanged(join(packageDir, path), text);
      if (path.startsWith("src/generated/")) {
        sizes[path.slice("src/generated/".length)] = Buffer.byteLength(text);
        bytes += Buffer.byteLength(text);
      }
    }
    summary.push({ ...counts, bytes, files: sizes });
  }
  const partitionsFile = join(options.modelsDir, "partitions.json");
  if (existsSync(partitionsFile)) {
    const partitions = JSON.parse(readFileSync(partitionsFile, "utf8")) as JsonObject;
    writeIfChanged(join(options.outDir, "core", "src", "endpoints", "partitions-data.ts"), emitPartitions(partitions));
  }
  return summary;
}

/** Leaves an unchanged file alone (its mtime too), so watchers and tsc's incremental mode stay calm. */
function writeIfChanged(path: string, text: string): void {
  if (existsSync(path) && readFileSync(path, "utf8") === text) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function main(argv: readonly string[]): void {
  let outDir = join(REPO_ROOT, "packages");
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") outDir = resolve(argv[++i] ?? "");
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const started = performance.now();
  const summary = generate({ modelsDir: join(REPO_ROOT, "models"), outDir });
  const ms = Math.round(performance.now() - started);
  const total = (key: "operations" | "shapes" | "bytes") => summary.reduce((n, s) => n + s[key], 0);
  for (const s of summary) {
    console.log(
      `${s.service.padEnd(16)} ${s.clientName.padEnd(16)} ${String(s.operations).padStart(4)} ops ${String(s.shapes).padStart(5)}/${String(s.modelShapes).padEnd(5)} shapes ${String(s.errors).padStart(3)} errors ${String(s.paginators).padStart(3)} paginators ${String(s.waiters).padStart(2)} waiters ${String(s.bytes).padStart(9)} B`,
    );
  }
  console.log(`generated ${summary.length} packages (${total("operations")} operations, ${total("shapes")} shapes, ${total("bytes")} B of src/generated) into ${outDir} in ${ms} ms`);
}

if (import.meta.main) main(process.argv.slice(2));
