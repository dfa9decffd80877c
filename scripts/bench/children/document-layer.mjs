// Per-call cost of a DynamoDB document layer in this process: get (a 20-attribute item),
// put (that item back) and query (100 items), each `concurrency` calls in flight at a
// time against the bench's loopback server, after a warm-up; several rounds, the median
// one reported. Per operation: calls per second (wall clock) and CPU microseconds per call
// (process.cpuUsage: user + system of this process, so the SDK, its marshalling, HTTP
// stack and the garbage it makes). Also the process's peak RSS over the timed calls above
// its baseline: the RSS once the client made its first get and query (so its code is
// loaded, however it was loaded: Stratus runs from its TypeScript sources here). Peak: the
// kernel's maxRSS when the calls raised it, else the highest RSS sampled every 10 ms.
// Usage: node document-layer.mjs <module> <pk> <sk> <concurrency> <warmup> <rounds> <perRound> <queryPerRound>
import { pathToFileURL } from "node:url";

const [modulePath, pk, sk, ...numbers] = process.argv.slice(2);
const [concurrency, warmup, rounds, perRound, queryPerRound] = numbers.map(Number);
const config = JSON.parse(process.env.BENCH_CONFIG);
const { create } = await import(pathToFileURL(modulePath).href);
const client = await create(config);

// The item every put sends is the one get returned: what this SDK unmarshalled, it must
// marshall back to the same attribute values (the server checks).
const item = await client.get({ pk, sk });
check(item && Object.keys(item).length === 20, "get: an item of 20 attributes", item);
check(item.tags instanceof Set && item.tags.has("engines"), "get: tags as a Set of strings", item.tags);
check(item.scores instanceof Set && item.scores.has(87.5), "get: scores as a Set of numbers", item.scores);
check(item.avatar instanceof Uint8Array && item.avatar.byteLength === 48, "get: avatar as 48 bytes", item.avatar);
check(item.address?.geo?.lat === 51.5074 && item.deletedAt === null, "get: nested maps, numbers, null", item.address);
const items = await client.query(pk);
check(Array.isArray(items) && items.length === 100 && items[99].lines?.[1]?.qty === 2, "query: 100 items", items?.length);
const baselineRss = process.memoryUsage().rss;
const peakBefore = process.resourceUsage().maxRSS * 1024;
let sampled = baselineRss;
const sample = () => {
  sampled = Math.max(sampled, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 10);

const operations = {
  get: () => client.get({ pk, sk }),
  put: () => client.put(item),
  query: () => client.query(pk),
};

async function batch(call, count) {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = {};
for (const [name, call] of Object.entries(operations)) {
  const count = name === "query" ? queryPerRound : perRound;
  await batch(call, name === "query" ? Math.ceil(warmup / 10) : warmup);
  const measured = [];
  for (let round = 0; round < rounds; round++) {
    const cpuBefore = process.cpuUsage();
    const before = performance.now();
    await batch(call, count);
    const ms = performance.now() - before;
    const cpu = process.cpuUsage(cpuBefore);
    measured.push({ perSecond: count / (ms / 1000), cpuMicrosPerCall: (cpu.user + cpu.system) / count });
  }
  results[name] = { perSecond: median(measured.map((r) => r.perSecond)), cpuMicrosPerCall: median(measured.map((r) => r.cpuMicrosPerCall)) };
}
clearInterval(sampler);
sample();
const peakAfter = process.resourceUsage().maxRSS * 1024;
const peak = peakAfter > peakBefore ? peakAfter : sampled;
await client.close();
const MiB = 1024 * 1024;
console.log(JSON.stringify({ ...results, peakAboveBaselineMiB: (peak - baselineRss) / MiB, baselineMiB: baselineRss / MiB }));

function check(ok, what, got) {
  if (!ok) throw new Error(`${what} expected; got ${typeof got === "object" ? JSON.stringify(got, (_, v) => (v instanceof Set ? [...v] : v))?.slice(0, 300) : String(got)}`);
}
