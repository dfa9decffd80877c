// Per-call cost in this process: `count` calls, `concurrency` in flight at a time, against
// the bench's loopback server, after a warm-up; several rounds, the median one reported.
// Reports calls per second (wall clock) and CPU microseconds per call (process.cpuUsage:
// user + system of this process, i.e. the SDK, its HTTP stack and the GC it causes).
// With BENCH_PROFILE_FILE set, the timed rounds (not the start-up, not the warm-up) are
// CPU-profiled through the inspector and the profile written there.
// Usage: node throughput.mjs <module> <getObject|getItem> <key> <concurrency> <warmup> <rounds> <perRound>
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [modulePath, operation, key, ...numbers] = process.argv.slice(2);
const [concurrency, warmup, rounds, perRound] = numbers.map(Number);
const config = JSON.parse(process.env.BENCH_CONFIG);
const { create } = await import(pathToFileURL(modulePath).href);
const client = await create(config);

const call = operation === "getObject" ? () => client.getObject(key) : () => client.getItem();
const first = await call();
if (operation === "getObject" ? first !== 1024 : first?.id === undefined) throw new Error(`unexpected answer: ${JSON.stringify(first)}`);

async function batch(count) {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

await batch(warmup);
const profileFile = process.env.BENCH_PROFILE_FILE;
let session;
if (profileFile) {
  const { Session } = await import("node:inspector/promises");
  session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
}
const results = [];
for (let round = 0; round < rounds; round++) {
  const cpuBefore = process.cpuUsage();
  const before = performance.now();
  await batch(perRound);
  const ms = performance.now() - before;
  const cpu = process.cpuUsage(cpuBefore);
  results.push({ perSecond: perRound / (ms / 1000), cpuMicrosPerCall: (cpu.user + cpu.system) / perRound });
}
if (session) {
  const { profile } = await session.post("Profiler.stop");
  writeFileSync(profileFile, JSON.stringify(profile));
  session.disconnect();
}
await client.close();
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(JSON.stringify({
  perSecond: median(results.map((r) => r.perSecond)),
  cpuMicrosPerCall: median(results.map((r) => r.cpuMicrosPerCall)),
  rounds: results,
}));
