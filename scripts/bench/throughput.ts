// Per-call overhead: many small calls, 32 in flight at a time, against the loopback server,
// each peer in a child process of its own (children/throughput.mjs): S3 GetObject of a
// 1 KiB object (body read to the end) and DynamoDB GetItem. Figures: calls per second
// (wall clock) and CPU microseconds per call of the client process (user + system, so the
// SDK, its HTTP stack and the garbage it makes). The CPU figure is the sharper one: the
// server shares this 2-core machine, so calls per second of the fastest clients is partly
// the server's speed; the report says how busy the server was during each run. Each peer
// runs twice, interleaved with the others, and its better run counts.
// A CPU profile of Stratus's timed rounds lists where its per-call time goes.
// Usage: node scripts/bench/throughput.ts   (or `pnpm bench`)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  APPS, benchConfig, childEnv, childHome, inPool, numberField, PARALLEL, PEERS, progress, publish, QUICK, type Figure, type PeerId, runChild,
} from "./lib/common.ts";
import { startLoopbackServer, SMALL_KEY } from "./lib/loopback-server.ts";
import { profileChild } from "./lib/profile.ts";

const CONCURRENCY = 32;
const WARMUP = QUICK ? 20 : 1_000;
const ROUNDS = QUICK ? 1 : 5;
const PER_ROUND = QUICK ? 64 : 1_000;
/**
 * Every peer runs this many times, the passes interleaved (A B C D, A B C D), and its best
 * pass counts: on a shared machine the least disturbed run is the truest one.
 */
const PASSES = QUICK ? 1 : 2;

const OPERATIONS = [
  { operation: "getObject", label: "S3 GetObject 1 KiB", app: (p: (typeof PEERS)[number]) => p.s3App },
  { operation: "getItem", label: "DynamoDB GetItem", app: (p: (typeof PEERS)[number]) => p.dynamodbApp },
] as const;

const work = mkdtempSync(join(tmpdir(), "stratus-bench-throughput-"));
const home = childHome();
const server = await startLoopbackServer();
try {
  const env = childEnv(home.home, benchConfig(server.endpoint));
  const args = (app: string, operation: string): string[] =>
    [join(APPS, app), operation, SMALL_KEY, String(CONCURRENCY), String(WARMUP), String(ROUNDS), String(PER_ROUND)];
  const figures: Figure[] = [];
  const serverLoad: string[] = [];
  for (const { operation, label, app } of OPERATIONS) {
    const rate: Partial<Record<PeerId, number | null>> = {};
    const cpu: Partial<Record<PeerId, number | null>> = {};
    const notes: Partial<Record<PeerId, string>> = {};
    const load: string[] = [];
    for (let pass = 1; pass <= PASSES; pass++) {
      await inPool(PEERS, PARALLEL, async (peer) => {
        progress(`${label}: ${peer.id}, ${WARMUP + ROUNDS * PER_ROUND} calls (pass ${pass}/${PASSES})`);
        const cpuBefore = process.cpuUsage();
        const before = performance.now();
        try {
          const result = await runChild("throughput.mjs", args(app(peer), operation), env);
          rate[peer.id] = Math.max(rate[peer.id] ?? 0, numberField(result, "perSecond"));
          cpu[peer.id] = Math.min(cpu[peer.id] ?? Infinity, numberField(result, "cpuMicrosPerCall"));
        } catch (error) {
          rate[peer.id] = null;
          cpu[peer.id] = null;
          notes[peer.id] = `failed: ${String(error).split("\n").slice(0, 3).join(" ").slice(0, 300)}`;
        }
        // This process is the server (and idle otherwise): its CPU share is the server's load.
        const used = process.cpuUsage(cpuBefore);
        if (pass === 1) load.push(`${peer.label} ${((100 * (used.user + used.system)) / 1000 / (performance.now() - before)).toFixed(0)}%`);
      });
    }
    // A peer that failed in any pass has no figure.
    for (const id of Object.keys(notes) as PeerId[]) {
      rate[id] = null;
      cpu[id] = null;
    }
    serverLoad.push(`${label}: ${load.join(", ")}`);
    figures.push({ name: `throughput, ${label}, ${CONCURRENCY} concurrent`, unit: "calls/s", better: "higher", values: rate, notes });
    figures.push({ name: `CPU per call, ${label}`, unit: "µs", better: "lower", values: cpu, notes });
  }

  const details = QUICK ? [] : [`Loopback server CPU (one core = 100%) over each whole child run of the first pass: ${serverLoad.join("; ")}.`];
  if (!QUICK) {
    for (const { operation, label, app } of OPERATIONS) {
      progress(`profiling Stratus's ${label} run (inspector CPU profile of the timed rounds)`);
      const stratus = PEERS.find((p) => p.id === "stratus");
      if (stratus) details.push(...(await profileChild(`Stratus, ${label} run`, "throughput.mjs", args(app(stratus), operation), env, { work, files: 10, functions: 12, inclusive: 14, selfProfiling: true })));
    }
  }

  publish("throughput", {
    title: "Per-call overhead and throughput",
    method: [
      `One child process per peer and operation (\`scripts/bench/children/throughput.mjs\`), against the bench's node:http server on 127.0.0.1 in the parent process. ` +
        `${WARMUP} warm-up calls, then ${ROUNDS} round(s) of ${PER_ROUND} calls with ${CONCURRENCY} in flight; a run's figure is its median round, ` +
        `and each peer's best of ${PASSES} run(s), interleaved with the other peers', is reported. ` +
        "GetObject reads each 1 KiB body to the end (aws-lite buffers it itself); GetItem returns the item " +
        "(aws-lite's DynamoDB plugin also unmarshals it to plain values, as its users get it). CPU per call is `process.cpuUsage()` of the client process over the round, divided by the calls.",
    ],
    figures,
    details,
  });
} finally {
  await server.close();
  home.dispose();
  rmSync(work, { recursive: true, force: true });
}
