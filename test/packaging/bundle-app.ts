/**
 * An app's source bundled the way an app would build it for Node: esbuild `--bundle
 * --minify --format=esm --platform=node`, over the workspace sources, in memory (nothing is
 * written) and with the metafile, for the packaging tests to look at what went in.
 *
 * The source is bundled from packages/s3, where `@stratus/s3` resolves to the package itself
 * (Node's self-reference through `exports`, which esbuild follows) and `@stratus/core` to
 * the workspace core.
 */
import { join } from "node:path";
import { build } from "esbuild";

export const ROOT = join(import.meta.dirname, "..", "..");
const S3_PACKAGE = join(ROOT, "packages", "s3");

/** `outfile` only names the output (in the metafile); it is not written. */
export function bundleApp(source: string, outfile?: string) {
  return build({
    stdin: { contents: source, resolveDir: S3_PACKAGE, sourcefile: "app.mjs", loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    write: false,
    metafile: true,
    logLevel: "silent",
    outfile,
  });
}
