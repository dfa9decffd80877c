// The DynamoDB document layer (plain JavaScript values in and out): get of a realistic
// 20-attribute item, put of that item back, and a query answering 100 items, 16 calls in
// flight, against the loopback server (lib/document-routes.ts), each peer in a child
// process of its own (children/document-layer.mjs). Figures: calls per second, CPU
// microseconds per call of the client process, and its peak RSS above its baseline.
// Stratus's DocumentClient against v3's @aws-sdk/lib-dynamodb DynamoDBDocumentClient;
// aws-lite's plugin cannot round-trip the item (see APP), raw undici has no document layer.
// Each peer runs twice, interleaved with the others, and its better run counts.
// Usage: node scripts/bench/document-layer.ts   (or `pnpm bench`)
import { join } from "node:path";
import {
  APPS, benchConfig, childEnv, childHome, inPool, numberField, PARALLEL, PEERS, progress, publish, QUICK, runChild, type Figure, type PeerId,
} from "./lib/common.ts";
import { documentRoutes, PROFILE_KEY, QUERY_ITEMS, type DocumentCounts } from "./lib/document-routes.ts";
import { startLoopbackServer } from "./lib/loopback-server.ts";
import { packageVersion } from "./lib/package-version.ts";

const CONCURRENCY = 16;
const WARMUP = QUICK ? 16 : 500;
const ROUNDS = QUICK ? 1 : 5;
const PER_ROUND = QUICK ? 32 : 1_000;
/** Query answers are 100 items: fewer calls give as steady a figure. */
const QUERY_PER_ROUND = QUICK ? 16 : 200;
const PASSES = QUICK ? 1 : 2;

/** Each peer's document layer, or why it has none. */
const APP: Record<PeerId, { readonly app: string } | { readonly none: string }> = {
  stratus: { app: "stratus-document.mjs" },
  "aws-sdk-v3": { app: "aws-sdk-v3-document.mjs" },
  // Its DynamoDB plugin marshalls by itself, but a vendored util-dynamodb without base64
  // decoding hands B attributes back as base64 strings: get → put would turn B into S.
  "aws-lite": { none: "not comparable: aws-lite's DynamoDB plugin marshalls plain values itself, but returns binary attributes as base64 strings, so an item it gets does not put back as the same item" },
  undici: { none: "no equivalent: raw undici sends and reads DynamoDB JSON as it is, with no document layer" },
};

const OPERATIONS = [
  { id: "get", label: "get" },
  { id: "put", label: "put" },
  { id: "query", label: `query ${QUERY_ITEMS} items` },
] as const;

/** The calls a child makes: one get and one query to check the answers, then warm-up and rounds. */
const EXPECTED: DocumentCounts = {
  getItem: 1 + WARMUP + ROUNDS * PER_ROUND,
  putItem: WARMUP + ROUNDS * PER_ROUND,
  query: 1 + Math.ceil(WARMUP / 10) + ROUNDS * QUERY_PER_ROUND,
};

const home = childHome();
const documents = documentRoutes();
const server = await startLoopbackServer({ routes: [documents.route] });
try {
  const rate = new Map(OPERATIONS.map((op) => [op.id, {} as Partial<Record<PeerId, number | null>>]));
  const cpu = new Map(OPERATIONS.map((op) => [op.id, {} as Partial<Record<PeerId, number | null>>]));
  const peak: Partial<Record<PeerId, number | null>> = {};
  const baselines: string[] = [];
  const notes: Partial<Record<PeerId, string>> = {};
  for (let pass = 1; pass <= PASSES; pass++) {
    await inPool(PEERS, PARALLEL, async (peer) => {
      const layer = APP[peer.id];
      if ("none" in layer) {
        notes[peer.id] = layer.none;
        return;
      }
      if (notes[peer.id] !== undefined) return; // failed in an earlier pass
      progress(`document layer: ${peer.id}, get/put ${WARMUP + ROUNDS * PER_ROUND} calls each, query ${EXPECTED.query} (pass ${pass}/${PASSES})`);
      // A table per peer and pass, so the server's counts tell each child's calls apart.
      const table = `bench-documents-${peer.id}-${pass}`;
      const env = childEnv(home.home, { ...benchConfig(server.endpoint), table });
      const args = [join(APPS, layer.app), PROFILE_KEY.pk, PROFILE_KEY.sk, String(CONCURRENCY), String(WARMUP), String(ROUNDS), String(PER_ROUND), String(QUERY_PER_ROUND)];
      try {
        const result = await runChild("document-layer.mjs", args, env);
        const counts = documents.countsFor(table);
        for (const operation of ["getItem", "putItem", "query"] as const) {
          // At least: a call the SDK retried (a keep-alive socket closed under it) still happened.
          if (counts[operation] < EXPECTED[operation]) throw new Error(`the server answered ${counts[operation]} ${operation} calls, expected ${EXPECTED[operation]}`);
        }
        for (const { id } of OPERATIONS) {
          const figures = result[id] as Record<string, unknown> | undefined;
          if (figures === undefined) throw new Error(`child answered no ${id} figures: ${JSON.stringify(result)}`);
          const perSecond = numberField(figures, "perSecond");
          const micros = numberField(figures, "cpuMicrosPerCall");
          const rates = rate.get(id) ?? {};
          const cpus = cpu.get(id) ?? {};
          rates[peer.id] = Math.max(rates[peer.id] ?? 0, perSecond);
          cpus[peer.id] = Math.min(cpus[peer.id] ?? Infinity, micros);
        }
        peak[peer.id] = Math.min(peak[peer.id] ?? Infinity, numberField(result, "peakAboveBaselineMiB"));
        if (pass === 1) baselines.push(`${peer.label} ${numberField(result, "baselineMiB").toFixed(0)}`);
      } catch (error) {
        notes[peer.id] = `failed: ${String(error).split("\n").slice(0, 3).join(" ").slice(0, 300)}`;
      }
    });
  }
  // A peer without figures in every pass has none.
  for (const id of Object.keys(notes) as PeerId[]) {
    for (const values of [...rate.values(), ...cpu.values(), peak]) values[id] = null;
  }

  const figures: Figure[] = OPERATIONS.flatMap(({ id, label }): Figure[] => [
    { name: `document layer, ${label}, calls/s`, unit: "calls/s", better: "higher", values: rate.get(id) ?? {}, notes },
    { name: `document layer, ${label}, CPU per call`, unit: "µs", better: "lower", values: cpu.get(id) ?? {}, notes },
  ]);
  figures.push({ name: "document layer, peak RSS above baseline", unit: "MiB", better: "lower", values: peak, notes });

  publish("document-layer", {
    title: "DynamoDB document layer",
    method: [
      "One child process per peer (`scripts/bench/children/document-layer.mjs`) makes document-layer calls, plain JavaScript values in and out: " +
        "Stratus's `DocumentClient` (`get`, `put`, `query`), the v3 SDK's `DynamoDBDocumentClient.from(new DynamoDBClient(…))` with `GetCommand`, `PutCommand`, `QueryCommand` " +
        `(@aws-sdk/lib-dynamodb ${packageVersion("@aws-sdk/lib-dynamodb")}). aws-lite's DynamoDB plugin always marshalls, but it hands binary attributes back as base64 strings, so the item it gets would go back as a different item: not measured. Raw undici has no document layer.`,
      "The loopback server (`scripts/bench/lib/document-routes.ts`) answers at once. GetItem returns a 20-attribute profile: strings, whole and decimal numbers, booleans, NULL, a binary, " +
        `string and number sets, maps nested two deep, and a list of maps. Query returns ${QUERY_ITEMS} order items of 11 attributes each, one page. ` +
        "PutItem sends back the item get returned, and the server refuses it unless it matches the original attribute for attribute. The server also counts every call.",
      `For each operation: ${WARMUP} warm-up calls (a tenth as many queries), then ${ROUNDS} round(s) of ${PER_ROUND} calls (${QUERY_PER_ROUND} queries) with ${CONCURRENCY} in flight. ` +
        "The median round counts, and of each peer's runs, interleaved with the other peers', the best. " +
        "CPU per call is `process.cpuUsage()` of the client process over the round, divided by the calls. " +
        "Peak RSS is over the timed calls of all three operations (the kernel's `maxRSS` when they raised it, else the highest RSS sampled every 10 ms), " +
        "above the process's RSS once the client had made its first get and query: what 16 calls in flight and their garbage cost, not the SDK's code " +
        "(Stratus runs from its TypeScript sources here, which makes its baseline larger than its published build's).",
    ],
    figures,
    details: baselines.length > 0 ? [`Baseline RSS (once the client had made its first get and query), in MiB: ${baselines.join(", ")}.`] : [],
  });
} finally {
  await server.close();
  home.dispose();
}
