// Peak memory of one large transfer in this process: GetObject of `bytes` with the body
// streamed and every chunk dropped, or PutObject of `bytes` from a stream that yields one
// reused 64 KiB chunk (so the source itself costs nothing).
//
// Baseline: RSS after the client made one small call (so lazily loaded code, e.g. the HTTP
// stack, is in the baseline for every SDK alike). Peak: the kernel's maxRSS when the
// transfer raised it, else the highest RSS sampled every 10 ms during the transfer.
// At the sample with the highest RSS it also notes how much the JS heap and the
// ArrayBuffers (Buffers: socket chunks waiting for the garbage collector) had grown.
// Usage: node memory.mjs <module> <download|upload> <bytes> <smallKey> <key>
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";

const [modulePath, direction, bytesArg, smallKey, key] = process.argv.slice(2);
const bytes = Number(bytesArg);
const config = JSON.parse(process.env.BENCH_CONFIG);
const { create } = await import(pathToFileURL(modulePath).href);
const client = await create(config);
await client.getObject(smallKey);

function* chunks(total) {
  const chunk = Buffer.alloc(64 * 1024, 0x63);
  for (let left = total; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}

const atBaseline = process.memoryUsage();
const baseline = atBaseline.rss;
const peakBefore = process.resourceUsage().maxRSS * 1024;
let sampled = baseline;
let atPeak = atBaseline;
const sample = () => {
  const usage = process.memoryUsage();
  if (usage.rss > sampled) {
    sampled = usage.rss;
    atPeak = usage;
  }
};
const sampler = setInterval(sample, 10);
const start = performance.now();
try {
  if (direction === "download") {
    const received = await client.streamObject(key);
    if (received !== bytes) throw new Error(`received ${received} bytes, expected ${bytes}`);
  } else {
    await client.putObject(key, Readable.from(chunks(bytes), { objectMode: false }), bytes);
  }
} catch (error) {
  clearInterval(sampler);
  // An SDK that refuses a streamed body is reported as such, not as a crash.
  if (direction === "upload" && process.env.BENCH_UPLOAD_PROBE === "1") {
    console.log(JSON.stringify({ unsupported: String(error?.message ?? error).replace(/\s+/g, " ").slice(0, 240) }));
    process.exit(0);
  }
  throw error;
}
const seconds = (performance.now() - start) / 1000;
clearInterval(sampler);
sample();
const peakAfter = process.resourceUsage().maxRSS * 1024;
const peak = peakAfter > peakBefore ? peakAfter : sampled;
await client.close();
const MiB = 1024 * 1024;
console.log(JSON.stringify({
  peakAboveBaselineMiB: (peak - baseline) / MiB,
  baselineMiB: baseline / MiB,
  seconds,
  mibPerSecond: bytes / MiB / seconds,
  growthAtPeakSampleMiB: {
    rss: (atPeak.rss - atBaseline.rss) / MiB,
    heapTotal: (atPeak.heapTotal - atBaseline.heapTotal) / MiB,
    arrayBuffers: (atPeak.arrayBuffers - atBaseline.arrayBuffers) / MiB,
  },
}));
