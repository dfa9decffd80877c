/**
 * What the peer benches (bundle, cold start, throughput, memory, install) share:
 *
 *   PEERS          who is compared: Stratus and its peers, each with the app modules in
 *                  bench/apps/ that make the same calls the way that library's users would
 *   benchConfig    what a child process gets: the loopback endpoint, fixed keys, and for the
 *                  raw-undici floor the SigV4 headers computed once, before any clock starts
 *   runChild       one measurement in a fresh Node process (children/*.mjs), answered as
 *                  one JSON line on stdout
 *   Section        what a bench file hands to index.ts: its figures plus the method text;
 *                  index.ts merges every file's section into BENCHMARKS.md and results.json
 *
 * Children get an environment of their own (a throw-away HOME and no AWS_* variables), so
 * no SDK can read the real ~/.aws or pick up a real profile, and all of them start from
 * the same empty configuration.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signRequest, UNSIGNED_PAYLOAD } from "../../../packages/core/src/signing/index.ts";
import type { HttpRequest } from "../../../packages/core/src/http/http-request.ts";
import { BUCKET, SMALL_KEY, TABLE } from "./loopback-server.ts";

export const ROOT = join(import.meta.dirname, "..", "..", "..");
export const APPS = join(ROOT, "bench", "apps");
export const CHILDREN = join(import.meta.dirname, "..", "children");

/** `STRATUS_BENCH_QUICK=1`: one run of everything, small sizes, for the smoke test. */
export const QUICK = process.env["STRATUS_BENCH_QUICK"] === "1";

export type PeerId = "stratus" | "aws-sdk-v3" | "aws-lite" | "undici";

export interface Peer {
  readonly id: PeerId;
  readonly label: string;
  /** Driver modules in bench/apps/: `create(config)` → the calls. */
  readonly s3App: string;
  readonly dynamodbApp: string;
  /** The npm packages an app of this peer depends on (versions for the report). */
  readonly packages: readonly string[];
}

export const PEERS: readonly Peer[] = [
  { id: "stratus", label: "Stratus", s3App: "stratus-s3.mjs", dynamodbApp: "stratus-dynamodb.mjs", packages: ["@stratus/core", "@stratus/s3", "@stratus/dynamodb"] },
  { id: "aws-sdk-v3", label: "AWS SDK v3", s3App: "aws-sdk-v3-s3.mjs", dynamodbApp: "aws-sdk-v3-dynamodb.mjs", packages: ["@aws-sdk/client-s3", "@aws-sdk/client-dynamodb"] },
  { id: "aws-lite", label: "aws-lite", s3App: "aws-lite-s3.mjs", dynamodbApp: "aws-lite-dynamodb.mjs", packages: ["@aws-lite/client", "@aws-lite/s3", "@aws-lite/dynamodb"] },
  { id: "undici", label: "raw undici (floor)", s3App: "undici-s3.mjs", dynamodbApp: "undici-dynamodb.mjs", packages: ["undici"] },
];

export const PEER_IDS: readonly PeerId[] = PEERS.map((p) => p.id);

// ---- figures ------------------------------------------------------------------------------

export interface Figure {
  readonly name: string;
  readonly unit: string;
  /** Which way is better, for the ratio columns. */
  readonly better: "lower" | "higher";
  /** null: not measured for that peer; `notes` says why. */
  readonly values: Partial<Record<PeerId, number | null>>;
  readonly notes?: Partial<Record<PeerId, string>>;
}

export interface Section {
  readonly title: string;
  /** Markdown paragraphs: how the figures were measured. */
  readonly method: readonly string[];
  readonly figures: readonly Figure[];
  /** Markdown lines after the table: where the cost comes from, caveats. */
  readonly details?: readonly string[];
}

/**
 * Hands a bench file's section to index.ts (through the folder it names in
 * STRATUS_BENCH_PARTS); a bench file run on its own just prints its table.
 */
export function publish(file: string, section: Section): void {
  printSection(section);
  const parts = process.env["STRATUS_BENCH_PARTS"];
  if (parts) writeFileSync(join(parts, `${file}.json`), JSON.stringify(section, null, 2));
}

export function printSection(section: Section): void {
  console.log(`\n${section.title}`);
  const header = ["figure", "unit", ...PEERS.map((p) => p.label)];
  const rows = section.figures.map((f) => [f.name, f.unit, ...PEER_IDS.map((id) => formatValue(f.values[id] ?? null))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  for (const f of section.figures) {
    for (const [id, note] of Object.entries(f.notes ?? {})) console.log(`  note: ${f.name}, ${id}: ${note}`);
  }
  for (const line of section.details ?? []) console.log(`  ${line}`);
}

export function formatValue(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Runs `fn` over `items`, `limit` at a time. Timed runs use a limit of 1 (one measurement
 * at a time on this small machine); quick mode runs several at once, its numbers being
 * only a proof that everything runs.
 */
export async function inPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** How many measurements run at once: one, except in quick mode. */
export const PARALLEL = QUICK ? 4 : 1;

export function progress(message: string): void {
  console.log(`  … ${message}`);
}

// ---- children -----------------------------------------------------------------------------

export const REGION = "us-east-1";
export const CREDENTIALS = { accessKeyId: "AKIDBENCH000000000000", secretAccessKey: "bench-secret-not-a-real-key" } as const;

/** What every app's `create(config)` receives (as JSON in BENCH_CONFIG). */
export interface BenchConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly bucket: string;
  readonly table: string;
  /** For the undici floor: "METHOD /path" → the request's signed headers. */
  readonly signed: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * The configuration for `endpoint`, with the floor's signatures for the S3 keys given
 * (GET and PUT each) and for the DynamoDB GetItem. Signed once, here, with the core's
 * signer: the floor pays nothing per call for signing, which is what makes it the floor.
 */
export function benchConfig(endpoint: string, keys: readonly string[] = [SMALL_KEY]): BenchConfig {
  const url = new URL(endpoint);
  const base = { protocol: "http:" as const, hostname: url.hostname, port: Number(url.port), query: [] };
  const sign = (request: HttpRequest, service: string, s3: boolean): Record<string, string> => {
    const { headers } = signRequest(request, {
      credentials: CREDENTIALS,
      region: REGION,
      service,
      ...(s3 ? { payloadHash: UNSIGNED_PAYLOAD, uriEscapePath: false, normalizePath: false, addContentSha256Header: true } : {}),
    }).request;
    const { host: _host, ...rest } = headers; // undici writes its own Host header
    return rest;
  };
  const signed: Record<string, Record<string, string>> = {};
  for (const key of keys) {
    for (const method of ["GET", "PUT"]) {
      const path = `/${BUCKET}/${key}`;
      signed[`${method} ${path}`] = sign({ ...base, method, path, headers: {} }, "s3", true);
    }
  }
  const body = JSON.stringify({ TableName: TABLE, Key: { id: { S: "user-1" } } });
  signed["POST /"] = sign(
    { ...base, method: "POST", path: "/", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "DynamoDB_20120810.GetItem" }, body },
    "dynamodb",
    false,
  );
  return { endpoint, region: REGION, credentials: CREDENTIALS, bucket: BUCKET, table: TABLE, signed };
}

/** A throw-away HOME for children, removed by `dispose`. */
export function childHome(): { readonly home: string; dispose(): void } {
  const home = mkdtempSync(join(tmpdir(), "stratus-bench-home-"));
  mkdirSync(join(home, ".aws"));
  return { home, dispose: () => rmSync(home, { recursive: true, force: true }) };
}

/** The whole environment a child sees: no AWS_* variable, no real home. */
export function childEnv(home: string, config: BenchConfig): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: home,
    AWS_CONFIG_FILE: join(home, ".aws", "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, ".aws", "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    BENCH_CONFIG: JSON.stringify(config),
  };
}

export interface ChildResult {
  readonly [key: string]: unknown;
}

/**
 * Runs `node [nodeArgs] children/<script> [args]` and resolves to the JSON object on the
 * last line of its stdout; rejects with its stderr when it fails.
 */
export function runChild(script: string, args: readonly string[], env: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, join(CHILDREN, script), ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const last = stdout.trim().split("\n").pop() ?? "";
      if (code === 0) {
        try {
          resolve(JSON.parse(last) as ChildResult);
          return;
        } catch {
          // falls through to the failure below
        }
      }
      reject(new Error(`${script} ${args.join(" ")}: exit ${code ?? signal}\n${stderr.trim() || stdout.trim()}`));
    });
  });
}

/** A number from a child's answer, or a clear failure. */
export function numberField(result: ChildResult, field: string): number {
  const value = result[field];
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`child answered no number ${field}: ${JSON.stringify(result)}`);
  return value;
}
