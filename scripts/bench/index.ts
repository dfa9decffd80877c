// Runs every benchmark in scripts/bench/ (each `*.ts` file but this one), one after the
// other, each in its own Node process so that one bench's JIT and heap state cannot colour
// the next one's numbers. Each file prints its own table.
// Usage: node scripts/bench/index.ts [name filter...]   (filters keep files whose name contains one)
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const dir = import.meta.dirname;
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".ts") && name !== "index.ts")
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();

if (files.length === 0) {
  console.error(`no bench files in ${dir}${filters.length ? ` match ${filters.join(" ")}` : ""}`);
  process.exit(1);
}

let failed = 0;
for (const [i, name] of files.entries()) {
  if (i > 0) console.log("");
  const result = spawnSync(process.execPath, [join(dir, name)], { stdio: "inherit" });
  if (result.status !== 0) {
    failed++;
    console.error(`bench ${name} failed (${result.error ? String(result.error) : `exit ${result.status ?? result.signal}`})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
