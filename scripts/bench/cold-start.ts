// Cold start: a fresh Node process imports an app module, constructs the client and makes
// its first call (S3 GetObject of 1 KiB, or DynamoDB GetItem) against the loopback server;
// the figure is the median, over N processes, of the milliseconds from just before the
// import to the first answer (children/cold-start.mjs). Node's own boot comes before that
// and is the same for everyone; the report gives it separately.
//
// Two ways an app is deployed, both measured:
//   bundled     the app module bundled and minified by esbuild for Node (one file, as on
//               Lambda): no module resolution, no TypeScript
//   unbundled   the app modules copied into a new folder where `npm install` put every
//               peer's packages at the pinned versions, Stratus's from the tarballs that
//               `scripts/build.ts` + `pnpm pack` make (its published JavaScript). In quick
//               mode (no installs) the app modules run from the repo, Stratus from its
//               TypeScript sources, which Node type-strips as it loads them.
// Runs are interleaved (every peer and variant once per round) so a slow spell of the
// machine spreads over all of them. CPU profiles of Stratus's S3 cold start, bundled and
// unbundled, say where its time goes.
// Usage: node scripts/bench/cold-start.ts   (or `pnpm bench`); STRATUS_BENCH_RUNS=n
// changes the number of runs (15).
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  APPS, benchConfig, childEnv, childHome, inPool, median, numberField, PARALLEL, PEERS, progress, publish, QUICK, runChild, type Figure, type PeerId,
} from "./lib/common.ts";
import { bundle } from "./lib/esbuild.ts";
import { npmInstall, packStratus, pinned } from "./lib/installs.ts";
import { startLoopbackServer, SMALL_KEY } from "./lib/loopback-server.ts";
import { profileChild } from "./lib/profile.ts";

const RUNS = QUICK ? 1 : Number(process.env["STRATUS_BENCH_RUNS"] ?? 15);
const SERVICES = [
  { service: "s3", label: "S3 GetObject" },
  { service: "dynamodb", label: "DynamoDB GetItem" },
] as const;
const VARIANTS = ["bundled", "unbundled"] as const;

const work = mkdtempSync(join(tmpdir(), "stratus-bench-cold-"));

interface Deployment {
  /** Where the app modules run from (Stratus's, and everyone's unless `othersDir`). */
  readonly dir: string;
  readonly othersDir?: string;
  readonly note?: string;
}

/**
 * A folder as an app would have it: every peer's packages npm-installed, Stratus's from
 * its packed tarballs, and the app modules beside them. Without tarballs (the build or the
 * pack failed), Stratus runs from the repo's TypeScript sources and the note says so.
 */
async function deploy(): Promise<Deployment> {
  const dir = join(work, "app");
  const tarballs = join(work, "tarballs");
  mkdirSync(dir);
  mkdirSync(tarballs);
  progress("building and packing Stratus, npm install of every peer into a new folder");
  const packed = packStratus(tarballs, ["core", "s3", "dynamodb"]);
  const peers = PEERS.filter((p) => p.id !== "stratus").flatMap((p) => p.packages.map((name) => `${name}@${pinned(name)}`));
  await npmInstall(dir, [...peers, ...(packed.ok ? packed.tarballs : [])]);
  for (const file of readdirSync(APPS)) if (file.endsWith(".mjs")) copyFileSync(join(APPS, file), join(dir, file));
  if (packed.ok) return { dir };
  return { dir: APPS, othersDir: dir, note: `TypeScript sources from the repo (${packed.reason})` };
}

const home = childHome();
const server = await startLoopbackServer();
try {
  const env = childEnv(home.home, benchConfig(server.endpoint));
  const deployed = QUICK ? { dir: APPS, note: "quick mode: TypeScript sources from the repo, type-stripped by Node as they load" } : await deploy();
  const modules = new Map<string, string>();
  const bundleFailures = new Map<string, string>();
  progress("bundling every app module for the bundled cold start");
  await Promise.all(
    PEERS.flatMap((peer) =>
      SERVICES.map(async ({ service }) => {
        const file = service === "s3" ? peer.s3App : peer.dynamodbApp;
        modules.set(`${peer.id} ${service} unbundled`, join(peer.id === "stratus" ? deployed.dir : (deployed.othersDir ?? deployed.dir), file));
        const built = await bundle(join(APPS, file), "node", { runnable: true });
        if (built.ok) {
          const path = join(work, `${peer.id}-${service}.mjs`);
          writeFileSync(path, built.code);
          modules.set(`${peer.id} ${service} bundled`, path);
        } else bundleFailures.set(`${peer.id} ${service}`, built.reason);
      }),
    ),
  );

  const samples = new Map<string, number[]>();
  const bootMs: number[] = [];
  const failures = new Map<string, string>();
  const keys = VARIANTS.flatMap((variant) => PEERS.flatMap((peer) => SERVICES.map(({ service }) => ({ key: `${peer.id} ${service} ${variant}`, service }))));
  for (let round = 1; round <= RUNS; round++) {
    progress(`cold start round ${round}/${RUNS}: ${keys.length} fresh processes`);
    await inPool(keys, PARALLEL, async ({ key, service }) => {
      const module = modules.get(key);
      if (!module || failures.has(key)) return;
      try {
        const result = await runChild("cold-start.mjs", [module, service, SMALL_KEY], env);
        const ms = numberField(result, "ms");
        (samples.get(key) ?? samples.set(key, []).get(key))?.push(ms);
        bootMs.push(numberField(result, "sinceProcessStart") - ms);
      } catch (error) {
        failures.set(key, String(error).split("\n").slice(0, 3).join(" ").slice(0, 300));
      }
    });
  }

  const figures: Figure[] = [];
  for (const variant of VARIANTS) {
    for (const { service, label } of SERVICES) {
      const values: Partial<Record<PeerId, number | null>> = {};
      const notes: Partial<Record<PeerId, string>> = {};
      for (const peer of PEERS) {
        const key = `${peer.id} ${service} ${variant}`;
        const runs = samples.get(key) ?? [];
        values[peer.id] = runs.length > 0 ? median(runs) : null;
        const failure = failures.get(key) ?? (variant === "bundled" ? bundleFailures.get(`${peer.id} ${service}`) : undefined);
        if (failure) notes[peer.id] = `failed: ${failure}`;
        else if (peer.id === "stratus" && variant === "unbundled" && deployed.note) notes[peer.id] = deployed.note;
      }
      figures.push({ name: `cold start, ${label} (${variant})`, unit: "ms", better: "lower", values, notes });
    }
  }

  const details: string[] = [];
  if (!QUICK) {
    // Profiled from an unminified bundle, whose module comments map time back to files.
    const built = await bundle(join(APPS, "stratus-s3.mjs"), "node", { runnable: true, minify: false });
    if (built.ok) {
      const path = join(work, "stratus-s3-profile.mjs");
      writeFileSync(path, built.code);
      progress("profiling Stratus's bundled S3 cold start (--cpu-prof)");
      const bundleMap = { path, code: new TextDecoder().decode(built.code) };
      details.push(...(await profileChild("Stratus, bundled S3 cold start", "cold-start.mjs", [path, "s3", SMALL_KEY], env, { work, files: 8, functions: 8, bundleMap })));
    } else details.push(`*Stratus, bundled S3 cold start*: not profiled, the unminified bundle failed: ${built.reason}`);
    progress("profiling Stratus's unbundled S3 cold start (--cpu-prof)");
    const installed = join(deployed.dir, "stratus-s3.mjs");
    details.push(...(await profileChild("Stratus, unbundled S3 cold start", "cold-start.mjs", [installed, "s3", SMALL_KEY], env, { work, files: 8, functions: 8 })));
  }

  publish("cold-start", {
    title: "Cold start",
    method: [
      `A fresh \`node\` process per run (\`scripts/bench/children/cold-start.mjs\`): \`import()\` of the app module, \`create(config)\` (the client with fixed credentials, region and the loopback endpoint), ` +
        `then one call (S3 GetObject of a 1 KiB object, or DynamoDB GetItem) answered at once by the bench's node:http server on 127.0.0.1. ` +
        `The figure is the median of ${RUNS} runs of the milliseconds from just before the import to the answer. ` +
        `Node's own boot before that, the same for every peer, was ${median(bootMs).toFixed(0)} ms (median).`,
      "*bundled*: the app module bundled and minified by esbuild for Node into one file, as a Lambda function is usually deployed. " +
        (QUICK
          ? "*unbundled* (quick mode): the app modules run from the repo; Stratus from its TypeScript sources."
          : "*unbundled*: the app modules copied into a new folder where `npm install` put every peer's packages at the pinned versions " +
            "(Stratus's from the tarballs `scripts/build.ts` + `pnpm pack` make: its published JavaScript)."),
    ],
    figures,
    details,
  });
} finally {
  await server.close();
  home.dispose();
  rmSync(work, { recursive: true, force: true });
}
