// One transfer-manager upload in this process: `bytes` from a Node Readable of unknown
// length (one reused 64 KiB chunk, so the source itself costs nothing and every peer gets
// the very same stream), with the part size and concurrency given, through the app's
// `upload(key, body, { partSize, concurrency })`.
//
// Baseline: RSS after the client uploaded a 1 KiB stream the same way (so the upload code and the
// HTTP stack are loaded for every SDK alike). Peak: the kernel's maxRSS when the upload
// raised it, else the highest RSS sampled every 10 ms. Time: wall clock of the upload;
// CPU: process.cpuUsage() (user + system) of this process over it.
// Usage: node upload.mjs <module> <bytes> <key> <partSize> <concurrency>
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";

const [modulePath, bytesArg, key, partSizeArg, concurrencyArg] = process.argv.slice(2);
const bytes = Number(bytesArg);
const options = { partSize: Number(partSizeArg), concurrency: Number(concurrencyArg) };
const config = JSON.parse(process.env.BENCH_CONFIG);
const { create } = await import(pathToFileURL(modulePath).href);
const client = await create(config);
// A stream, as below: aws-lite's Upload cannot read a Buffer body (its stand-in Readable has no _read).
await client.upload(`${key}-warm-up`, Readable.from([Buffer.alloc(1024, 0x77)]), options);

function* chunks(total) {
  const chunk = Buffer.alloc(64 * 1024, 0x63);
  for (let left = total; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}

const baseline = process.memoryUsage().rss;
const peakBefore = process.resourceUsage().maxRSS * 1024;
let sampled = baseline;
const sampler = setInterval(() => {
  sampled = Math.max(sampled, process.memoryUsage().rss);
}, 10);
const body = Readable.from(chunks(bytes), { objectMode: false });
const cpuBefore = process.cpuUsage();
const start = performance.now();
try {
  await client.upload(key, body, options);
} finally {
  clearInterval(sampler);
}
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuBefore);
sampled = Math.max(sampled, process.memoryUsage().rss);
const peakAfter = process.resourceUsage().maxRSS * 1024;
const peak = peakAfter > peakBefore ? peakAfter : sampled;
await client.close();
const MiB = 1024 * 1024;
console.log(JSON.stringify({
  seconds,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  peakAboveBaselineMiB: (peak - baseline) / MiB,
  baselineMiB: baseline / MiB,
  mibPerSecond: bytes / MiB / seconds,
}));
