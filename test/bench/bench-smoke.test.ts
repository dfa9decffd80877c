// `pnpm bench` runs end to end: the whole bench in quick mode (STRATUS_BENCH_QUICK=1: one
// run each, 8 MiB instead of 1 GiB, no npm installs), writing into a temporary folder
// instead of bench/ and the repo root, must produce every figure, for every peer, as a
// number, or as null with a note that says why (a peer that cannot bundle for browsers, an
// SDK that does not take a streamed upload yet). Nothing here looks at how fast anything
// was: timings belong in BENCHMARKS.md, not in assertions.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const PEERS = ["stratus", "aws-sdk-v3", "aws-lite", "undici"] as const;

/** Every figure the issue asks for; a figure that disappears from the bench fails here. */
const FIGURES: ReadonlyArray<{ readonly name: string; readonly stratusMayBeMissing?: true }> = [
  { name: "bundle size, node, minified" },
  { name: "bundle size, node, minified + gzip" },
  { name: "bundle size, browser/worker, minified" },
  { name: "bundle size, browser/worker, minified + gzip" },
  { name: "bundle size, node, minified + gzip, Stratus modular API" },
  { name: "bundle size, browser/worker, minified + gzip, Stratus modular API" },
  { name: "cold start, S3 GetObject (bundled)" },
  { name: "cold start, DynamoDB GetItem (bundled)" },
  { name: "cold start, S3 GetObject (unbundled)" },
  { name: "cold start, DynamoDB GetItem (unbundled)" },
  { name: "throughput, S3 GetObject 1 KiB, 32 concurrent" },
  { name: "CPU per call, S3 GetObject 1 KiB" },
  { name: "throughput, DynamoDB GetItem, 32 concurrent" },
  { name: "CPU per call, DynamoDB GetItem" },
  { name: "peak RSS above baseline, GetObject 1 GiB streamed" },
  { name: "peak RSS above baseline, GetObject 1 GiB streamed, --max-semi-space-size=1" },
  { name: "transfer rate, GetObject 1 GiB streamed" },
  { name: "peak RSS above baseline, PutObject 1 GiB streamed", stratusMayBeMissing: true },
  { name: "peak RSS above baseline, PutObject 1 GiB streamed, --max-semi-space-size=1", stratusMayBeMissing: true },
  { name: "transfer rate, PutObject 1 GiB streamed", stratusMayBeMissing: true },
  { name: "document layer, get, calls/s" },
  { name: "document layer, get, CPU per call" },
  { name: "document layer, put, calls/s" },
  { name: "document layer, put, CPU per call" },
  { name: "document layer, query 100 items, calls/s" },
  { name: "document layer, query 100 items, CPU per call" },
  { name: "document layer, peak RSS above baseline" },
  { name: "upload() 1 GiB, time" },
  { name: "upload() 1 GiB, CPU time" },
  { name: "upload() 1 GiB, peak RSS above baseline" },
  { name: "install size, S3-only app (node_modules)" },
  { name: "install, packages in node_modules" },
  { name: "install, files in node_modules" },
];

interface ResultFigure {
  readonly name: string;
  readonly unit: string;
  readonly better: string;
  readonly notes?: Record<string, string>;
  readonly [peer: string]: unknown;
}

function runBench(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "scripts", "bench", "index.ts")], {
      cwd: root,
      env: { ...process.env, STRATUS_BENCH_QUICK: "1", STRATUS_BENCH_OUT: out },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("pnpm bench (quick mode)", () => {
  it("writes results.json and BENCHMARKS.md with every figure for every peer", { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "stratus-bench-smoke-"));
    try {
      const { code, output } = await runBench(out);
      assert.equal(code, 0, `the bench failed:\n${output.slice(-3000)}`);

      const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as { quick: boolean; figures: ResultFigure[] };
      assert.equal(results.quick, true);
      const names = results.figures.map((f) => f.name);
      assert.deepEqual([...names].sort(), FIGURES.map((f) => f.name).sort(), "the figures in results.json");

      for (const expected of FIGURES) {
        const figure = results.figures.find((f) => f.name === expected.name);
        assert.ok(figure, expected.name);
        assert.ok(figure.unit.length > 0, `${expected.name}: unit`);
        assert.ok(figure.better === "lower" || figure.better === "higher", `${expected.name}: better`);
        for (const peer of PEERS) {
          const value: unknown = figure[peer];
          if (value === null) {
            // Missing only where a note says why, and for Stratus only where that is allowed.
            assert.ok((figure.notes?.[peer] ?? "").length > 0, `${expected.name}: ${peer} is null without a note`);
            if (peer === "stratus") assert.ok(expected.stratusMayBeMissing, `${expected.name}: Stratus has no value (${figure.notes?.[peer]})`);
          } else {
            assert.equal(typeof value, "number", `${expected.name}: ${peer} = ${String(value)}`);
            assert.ok(Number.isFinite(value as number) && (value as number) >= 0, `${expected.name}: ${peer} = ${String(value)}`);
          }
        }
      }

      const markdown = readFileSync(join(out, "BENCHMARKS.md"), "utf8");
      assert.match(markdown, /Quick mode/);
      for (const { name } of FIGURES) assert.ok(markdown.includes(name), `BENCHMARKS.md lists ${name}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
