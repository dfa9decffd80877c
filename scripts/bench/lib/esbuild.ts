/**
 * esbuild, as the bundle and cold-start benches use it: one entry, bundled and minified,
 * for Node (`--platform=node`) or for browsers and workers (`--platform=browser
 * --conditions=worker,browser`). A build that fails is an answer too ("cannot bundle for
 * this target"), returned with esbuild's first error rather than thrown.
 *
 * Node bundles that are run (cold start) get the usual ESM banner defining `require`:
 * CommonJS dependencies bundled into an ES module still `require()` Node's built-ins.
 */
import { build, type Metafile } from "esbuild";
import { isAbsolute, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "./common.ts";

export type Target = "node" | "browser";

export type BuildResult =
  | { readonly ok: true; readonly code: Uint8Array; readonly bytes: number; readonly gzipBytes: number; readonly metafile: Metafile }
  | { readonly ok: false; readonly reason: string };

const REQUIRE_BANNER = 'import { createRequire as __benchCreateRequire } from "node:module"; const require = __benchCreateRequire(import.meta.url);';

export interface BundleOptions {
  /** Add the `require` banner so the bundle runs on Node (cold start). */
  readonly runnable?: boolean;
  /** Default true; false keeps names and module comments (for profiles). */
  readonly minify?: boolean;
}

export async function bundle(entry: string, target: Target, options: BundleOptions = {}): Promise<BuildResult> {
  try {
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: ROOT,
      bundle: true,
      minify: options.minify ?? true,
      format: "esm",
      platform: target,
      ...(target === "browser" ? { conditions: ["worker", "browser"] } : {}),
      ...(options.runnable ? { banner: { js: REQUIRE_BANNER } } : {}),
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const output = result.outputFiles[0];
    if (!output) return { ok: false, reason: "esbuild wrote no output" };
    const code = output.contents;
    return { ok: true, code, bytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength, metafile: result.metafile };
  } catch (error) {
    const errors = (error as { errors?: Array<{ text: string; location?: { file: string } | null }> }).errors;
    const first = errors?.[0];
    if (!first || !errors) return { ok: false, reason: String(error).split("\n")[0] ?? "build failed" };
    // Which files fail, not just the first: the list is the to-do for whoever fixes it.
    const files = [...new Set(errors.flatMap((e) => (e.location ? [packageOf(e.location.file)] : [])))];
    const shown = files.slice(0, 8).map((f) => `\`${f}\``).join(", ");
    const more = files.length > 8 ? ` and ${files.length - 8} more` : "";
    return { ok: false, reason: `${errors.length} errors such as "${first.text}", in ${shown}${more}` };
  }
}

/** "undici", "@aws-sdk/client-s3", or a repo path such as "packages/s3/src/generated/schema.ts". */
export function packageOf(file: string): string {
  // esbuild names files relative to absWorkingDir (ROOT), or absolutely when outside it.
  const path = (isAbsolute(file) ? relative(ROOT, file) : file).replaceAll("\\", "/");
  const at = path.lastIndexOf("node_modules/");
  if (at < 0) return path;
  const rest = path.slice(at + "node_modules/".length).split("/");
  return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1] ?? ""}` : (rest[0] ?? path);
}

/** The largest contributors to a bundle: workspace files one by one, dependencies by package. */
export function largestInputs(metafile: Metafile, count: number): Array<{ readonly what: string; readonly bytes: number }> {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
      const what = packageOf(file);
      totals.set(what, (totals.get(what) ?? 0) + input.bytesInOutput);
    }
  }
  return [...totals].map(([what, bytes]) => ({ what, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, count);
}
