// Runs every benchmark in scripts/bench/ (each `*.ts` file but this one), one after the
// other, each in its own Node process so that one bench's JIT and heap state cannot colour
// the next one's numbers. Each file prints its own table.
//
// The peer benches (bundle, cold start, throughput, memory, install) also hand their
// figures to this runner (lib/common.ts `publish`, through a temporary folder); after a
// full run it writes them all, side by side with the peers', to bench/results.json and
// BENCHMARKS.md (lib/report.ts). A filtered run only prints: a partial report would
// overwrite the full one.
//
// Usage: node scripts/bench/index.ts [name filter...]   (filters keep files whose name contains one)
// Environment:
//   STRATUS_BENCH_QUICK=1    one run each, small sizes, no installs (the smoke test)
//   STRATUS_BENCH_OUT=dir    write results.json and BENCHMARKS.md there instead of bench/
//                            and the repo root
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Section } from "./lib/common.ts";
import { writeReport } from "./lib/report.ts";

const dir = import.meta.dirname;
const root = join(dir, "..", "..");
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".ts") && name !== "index.ts")
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();

if (files.length === 0) {
  console.error(`no bench files in ${dir}${filters.length ? ` match ${filters.join(" ")}` : ""}`);
  process.exit(1);
}

const quick = process.env["STRATUS_BENCH_QUICK"] === "1";
const parts = mkdtempSync(join(tmpdir(), "stratus-bench-parts-"));
const started = performance.now();
let failed = 0;
try {
  for (const [i, name] of files.entries()) {
    if (i > 0) console.log("");
    const elapsed = ((performance.now() - started) / 1000).toFixed(0);
    console.log(`[${i + 1}/${files.length}] ${name} (${elapsed} s so far)${quick ? " — quick mode" : ""}`);
    const result = spawnSync(process.execPath, [join(dir, name)], { stdio: "inherit", env: { ...process.env, STRATUS_BENCH_PARTS: parts } });
    if (result.status !== 0) {
      failed++;
      console.error(`bench ${name} failed (${result.error ? String(result.error) : `exit ${result.status ?? result.signal}`})`);
    }
  }

  const seconds = (performance.now() - started) / 1000;
  const sections = new Map<string, Section>();
  for (const file of readdirSync(parts).sort()) {
    sections.set(file.replace(/\.json$/, ""), JSON.parse(readFileSync(join(parts, file), "utf8")) as Section);
  }
  if (filters.length > 0) {
    console.log(`\nfiltered run: bench/results.json and BENCHMARKS.md left as they were (${seconds.toFixed(0)} s)`);
  } else if (sections.size > 0) {
    const out = process.env["STRATUS_BENCH_OUT"];
    const outDir = out ?? join(root, "bench");
    if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
    const markdownPath = out ? join(out, "BENCHMARKS.md") : join(root, "BENCHMARKS.md");
    writeReport({ sections, quick, seconds }, outDir, markdownPath);
    console.log(`\nwrote ${join(outDir, "results.json")} and ${markdownPath} (${seconds.toFixed(0)} s)`);
  }
} finally {
  rmSync(parts, { recursive: true, force: true });
}
process.exit(failed === 0 ? 0 : 1);
