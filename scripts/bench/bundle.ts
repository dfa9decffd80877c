// Bundle size: the same small app (S3 GetObject + PutObject, DynamoDB GetItem;
// bench/apps/bundle/<peer>.mjs) bundled by esbuild, minified, then gzipped (level 9), for
// Node and for browsers/workers. A peer that cannot be bundled for a target gets no number
// and the reason esbuild gave. The largest inputs of Stratus's bundles are listed, so that
// a regression shows where it comes from.
// Usage: node scripts/bench/bundle.ts   (or `pnpm bench`)
import { join } from "node:path";
import { APPS, PEERS, progress, publish, type Figure, type PeerId } from "./lib/common.ts";
import { bundle, largestInputs, type BuildResult, type Target } from "./lib/esbuild.ts";

const TARGETS: ReadonlyArray<{ readonly target: Target; readonly label: string }> = [
  { target: "node", label: "node" },
  { target: "browser", label: "browser/worker" },
];

// Sizes do not depend on timing: every build at once.
progress(`bundling ${PEERS.length} apps for ${TARGETS.map((t) => t.target).join(" and ")}`);
const builds = new Map<string, BuildResult>(
  await Promise.all(
    TARGETS.flatMap(({ target }) =>
      PEERS.map(async (peer) => [`${peer.id} ${target}`, await bundle(join(APPS, "bundle", `${peer.id}.mjs`), target)] as const),
    ),
  ),
);

// Stratus's modular form of the same app (bench/apps/bundle/stratus-modular.mjs): the
// core's ServiceClient and the operation schemas the app calls, as v3's Client + Command.
const modular = new Map(
  await Promise.all(TARGETS.map(async ({ target }) => [target, await bundle(join(APPS, "bundle", "stratus-modular.mjs"), target)] as const)),
);

const figures: Figure[] = [];
for (const { target, label } of TARGETS) {
  for (const [suffix, field] of [["minified", "bytes"], ["minified + gzip", "gzipBytes"]] as const) {
    const values: Partial<Record<PeerId, number | null>> = {};
    const notes: Partial<Record<PeerId, string>> = {};
    for (const peer of PEERS) {
      const result = builds.get(`${peer.id} ${target}`);
      if (result?.ok) values[peer.id] = result[field];
      else {
        values[peer.id] = null;
        notes[peer.id] = `cannot bundle for ${label}: ${result?.reason ?? "not built"}`;
      }
    }
    figures.push({ name: `bundle size, ${label}, ${suffix}`, unit: "bytes", better: "lower", values, notes });
  }
}

// The modular build, against the same peer builds (their apps do not change).
for (const { target, label } of TARGETS) {
  const result = modular.get(target);
  const values: Partial<Record<PeerId, number | null>> = {};
  const notes: Partial<Record<PeerId, string>> = {};
  for (const peer of PEERS) {
    const build = peer.id === "stratus" ? result : builds.get(`${peer.id} ${target}`);
    values[peer.id] = build?.ok ? build.gzipBytes : null;
    if (!build?.ok) notes[peer.id] = `cannot bundle for ${label}: ${build?.reason ?? "not built"}`;
  }
  figures.push({ name: `bundle size, ${label}, minified + gzip, Stratus modular API`, unit: "bytes", better: "lower", values, notes });
}

const details: string[] = [];
for (const { target, label } of TARGETS) {
  const result = builds.get(`stratus ${target}`);
  if (!result?.ok) continue;
  const top = largestInputs(result.metafile, 8)
    .map(({ what, bytes }) => `\`${what}\` ${(bytes / 1024).toFixed(0)} KiB`)
    .join(", ");
  details.push(`Largest inputs of Stratus's ${label} bundle (minified bytes before gzip): ${top}.`);
}

publish("bundle", {
  title: "Bundle size",
  method: [
    "The same small app for every peer (`bench/apps/bundle/<peer>.mjs`: S3 GetObject + PutObject and DynamoDB GetItem, through the app modules in `bench/apps/`), " +
      "bundled with esbuild (`--bundle --minify --format=esm`, and `--platform=node`, or `--platform=browser --conditions=worker,browser`), then gzipped at level 9. " +
      "The raw-undici app is what a client hand-written on undici ships: undici itself and a few lines. " +
      "The \"Stratus modular API\" rows bundle `bench/apps/bundle/stratus-modular.mjs` instead: the same calls through the core's `ServiceClient` and the operation schemas from `@stratus/s3/schema` / `@stratus/dynamodb/schema` (v3's app is already in its Client + Command form). " +
      "Stratus imports undici at run time by a specifier bundlers leave alone, so no Stratus bundle carries it; a bundle run without node_modules uses node:http.",
  ],
  figures,
  details,
});
