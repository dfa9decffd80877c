/**
 * The publishable build: every package's src/**.ts ──▶ its dist/ as .js + .d.ts.
 *
 *   node scripts/build.ts [package folder…]     (default: every packages/<name>)
 *   pnpm build
 *
 * In the workspace nothing is built: Node runs the .ts sources and package.json `exports`
 * point at src/. A published package is dist/ alone (`files`), and its manifest's
 * `publishConfig` (which `pnpm pack` / `pnpm publish` apply, along with turning
 * `workspace:*` into the version) points `exports` and `types` at dist/.
 *
 * How: one TypeScript program over all the packages' sources, with the workspace's own
 * tsconfig.json and three changes —
 *
 *   rewriteRelativeImportExtensions   "./x.ts" becomes "./x.js" in the .js (tsc leaves the
 *                                     .d.ts specifiers as written; TypeScript 5 reads those
 *                                     either way, but the writer below rewrites them too, so
 *                                     a .d.ts names the .js it sits beside, as other tools
 *                                     and older compilers expect)
 *   declaration                       .d.ts next to each .js
 *   noCheck                           emit only: `pnpm typecheck` is the type check, so the
 *                                     build does not do it a second time (it is most of tsc's
 *                                     time on 6 MB of generated sources)
 *
 * One program rather than one per package: the core's sources are read and bound once
 * instead of twenty times. tsc would write a single outDir tree; the emit's writeFile is
 * redirected instead, packages/<name>/src/<path> ──▶ packages/<name>/dist/<path>. Imports
 * between packages are bare (`@stratus/core`) and stay so in the output.
 *
 * The JavaScript is then replaced by esbuild's: one module per entry point in `exports`
 * (dist/index.js, dist/generated/schema.js, dist/testing/index.js…) with what entry points
 * share split into dist/chunks/, so each class exists once. An application that runs from
 * node_modules without bundling loads a handful of files instead of ~180 modules, each with
 * its own resolution, stat and compile (the unbundled cold start). Dependencies and Node
 * built-ins stay imports; nothing is minified, so stack traces keep their names. A
 * package's `#name` imports (the core's Node-or-edge defaults) stay imports too, and each
 * file they can resolve to is an entry point of its own.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { buildSync } from "esbuild";
import ts from "typescript";

export const REPO_ROOT = resolve(import.meta.dirname, "..");
const PACKAGES = join(REPO_ROOT, "packages");

export interface BuildResult {
  readonly packages: readonly string[];
  readonly files: number;
  readonly bytes: number;
  readonly ms: number;
}

export function allPackages(): string[] {
  return readdirSync(PACKAGES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(PACKAGES, entry.name, "package.json")))
    .map((entry) => entry.name)
    .sort();
}

/** Builds the named package folders (each one's dist/ is replaced whole). */
export function build(packages: readonly string[] = allPackages()): BuildResult {
  const started = performance.now();
  for (const name of packages) {
    if (!existsSync(join(PACKAGES, name, "src"))) throw new Error(`no package packages/${name}/src`);
  }
  const config = ts.getParsedCommandLineOfConfigFile(join(REPO_ROOT, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!config) throw new Error("cannot read tsconfig.json");
  // Where tsc thinks it writes: nothing lands there, writeFile below redirects every file.
  const stagingDir = join(REPO_ROOT, ".stratus-tmp", "build");
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: false,
    declaration: true,
    rewriteRelativeImportExtensions: true,
    noCheck: true,
    rootDir: PACKAGES,
    outDir: stagingDir,
    sourceMap: false,
    declarationMap: false,
    incremental: false,
  };
  // The selected packages' src/ only: tests and scripts stay out (imports still pull in the core).
  const roots = config.fileNames.filter((file) => packages.some((name) => isInside(file, join(PACKAGES, name, "src"))));
  const program = ts.createProgram({ rootNames: roots, options });

  for (const name of packages) rmSync(join(PACKAGES, name, "dist"), { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  const emitted = program.emit(undefined, (fileName, text) => {
    // <staging>/<package>/src/<path> ──▶ packages/<package>/dist/<path>
    const [name, folder, ...rest] = relative(stagingDir, fileName).split(sep);
    if (name === undefined || folder !== "src" || !packages.includes(name)) return; // a dependency outside the selection
    const target = join(PACKAGES, name, "dist", ...rest);
    const output = target.endsWith(".d.ts") ? packageImportsInDeclarations(declarationSpecifiers(text), target, join(PACKAGES, name)) : text;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output);
    files++;
    bytes += Buffer.byteLength(output);
  });
  // noCheck leaves only syntax and emit errors: any is fatal.
  const problems = [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics(), ...emitted.diagnostics];
  if (problems.length > 0 || emitted.emitSkipped) {
    const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => REPO_ROOT, getNewLine: () => "\n" };
    throw new Error(`build failed:\n${ts.formatDiagnostics(problems, host)}`);
  }
  for (const name of packages) {
    const bundled = bundleEntryPoints(name);
    files += bundled.files;
    bytes += bundled.bytes;
  }
  return { packages, files, bytes, ms: Math.round(performance.now() - started) };
}

/** dist's .js files, per-file from tsc, replaced by one module per entry point plus shared chunks. */
function bundleEntryPoints(name: string): { files: number; bytes: number } {
  const root = join(PACKAGES, name);
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports?: Record<string, string>; imports?: Record<string, Record<string, string>> };
  // Every file a `#name` import can resolve to is a module of its own: the import stays in
  // the output, and the installing runtime's conditions pick the file (publishConfig.imports).
  const importTargets = Object.values(manifest.imports ?? {}).flatMap((conditions) => Object.values(conditions));
  const entryPoints = [...new Set([...Object.values(manifest.exports ?? {}), ...importTargets])]
    .filter((path) => path.endsWith(".ts"))
    .map((path) => join(root, path));
  removeJavaScript(join(root, "dist"));
  const result = buildSync({
    entryPoints,
    outbase: join(root, "src"),
    outdir: join(root, "dist"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    packages: "external",
    external: ["#*"],
    chunkNames: "chunks/[name]-[hash]",
    minify: false,
    legalComments: "none",
    logLevel: "silent",
    metafile: true,
  });
  const outputs = Object.values(result.metafile.outputs);
  return { files: outputs.length, bytes: outputs.reduce((sum, output) => sum + output.bytes, 0) };
}

function removeJavaScript(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeJavaScript(path);
    else if (entry.name.endsWith(".js")) rmSync(path);
  }
}

/**
 * "./x.ts" ──▶ "./x.js" in a declaration file's `from "…"` and `import("…")`, as tsc does in
 * the .js. Only relative specifiers: package names are left alone.
 */
export function declarationSpecifiers(text: string): string {
  return text.replace(/(\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)(["'])(\.{1,2}\/[^"'\n]*?)(?<!\.d)\.([cm]?)ts\2/gm, (_all, lead: string, quote: string, path: string, kind: string) =>
    `${lead}${quote}${path}.${kind}js${quote}`,
  );
}

/**
 * `#name` imports in a declaration file become the relative path of their "default" target
 * (the Node build's module; every condition's module declares the same types). TypeScript
 * resolves package `imports` only under node16/nodenext/bundler resolution, and an
 * application still on `moduleResolution: "node"` would otherwise see those exports as
 * unresolved.
 */
function packageImportsInDeclarations(text: string, file: string, packageRoot: string): string {
  if (!text.includes('"#')) return text;
  const manifest = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { imports?: Record<string, Record<string, string>> };
  return text.replace(/(\bfrom\s+|\bimport\s*\(\s*)"(#[^"]+)"/g, (_whole, lead: string, specifier: string) => {
    const source = manifest.imports?.[specifier]?.["default"];
    if (source === undefined) throw new Error(`${relative(REPO_ROOT, file)}: ${specifier} is not in the package's imports`);
    const built = join(packageRoot, "dist", source.replace(/^\.\/src\//, "").replace(/\.ts$/, ".js"));
    const path = relative(dirname(file), built).replaceAll(sep, "/");
    return `${lead}"${path.startsWith(".") ? path : `./${path}`}"`;
  });
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const result = build(args.length > 0 ? args : allPackages());
  console.log(`built ${result.packages.length} packages: ${result.files} files, ${(result.bytes / 1e6).toFixed(1)} MB into packages/*/dist in ${result.ms} ms`);
}
