// One cold start, in this fresh process: import an app module (bench/apps/*.mjs, or its
// bundle), construct the client, make the first call, and report the milliseconds.
// Plain JavaScript on purpose: a .ts runner would make Node load its TypeScript stripper
// before the clock starts, which would hide that cost from an SDK shipped as .ts.
// Usage (from scripts/bench/cold-start.ts): node cold-start.mjs <module> <s3|dynamodb> <key>
// with BENCH_CONFIG in the environment. Answers one JSON line.
import { pathToFileURL } from "node:url";

const [modulePath, service, key] = process.argv.slice(2);
const config = JSON.parse(process.env.BENCH_CONFIG);

const start = performance.now();
const { create } = await import(pathToFileURL(modulePath).href);
const client = await create(config);
const constructed = performance.now();
const answer = service === "s3" ? await client.getObject(key) : await client.getItem();
const done = performance.now();
// Checked after the clock stops: a fast wrong answer must not count.
if (service === "s3" ? answer !== 1024 : answer?.id === undefined) throw new Error(`unexpected first answer: ${JSON.stringify(answer)}`);
await client.close();
// `sinceProcessStart` adds Node's own boot (performance.now() counts from process start).
console.log(JSON.stringify({ ms: done - start, importAndConstructMs: constructed - start, firstCallMs: done - constructed, sinceProcessStart: done }));
