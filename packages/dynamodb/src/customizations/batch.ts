/**
 * BatchWriteItem / BatchGetItem for any number of items, as boto3's `batch_writer` and the
 * AWS guidance for `UnprocessedItems` describe:
 *
 *   all requests ──split──▶ requests of ≤ 25 writes / ≤ 100 keys ──send──▶ unprocessed?
 *        ▲                                                                     │
 *        └──────── wait a full-jitter backoff, then send what is left ─────────┘
 *
 * A round sends everything still pending; the next round waits `random(0, min(maxDelay,
 * baseDelay × 2^round))` first (AWS's "full jitter"), so a throttled table gets room.
 * After `maxAttempts` rounds with work left, `UnprocessedItemsError` says which tables and
 * how many, and carries the requests/keys themselves (as plain values) so the caller can
 * store them or try later. Errors of a whole request (a throttling error the client's own
 * retries could not cure, a validation error) end the batch at once, as they are.
 */
import type { CallOptions } from "@stratus/core";
import { AbortError, StratusError } from "@stratus/core";
import type { DynamoDB } from "../generated/client.ts";
import type * as T from "../generated/types.ts";
import type * as D from "./document-types.ts";
import { ExpressionAttributes, renderProjection } from "./expressions.ts";
import { marshall, unmarshall, type DocumentItem, type MarshallOptions, type UnmarshallOptions } from "./marshall.ts";

/** DynamoDB's own limits per request. */
export const MAX_BATCH_WRITE = 25;
export const MAX_BATCH_GET = 100;

export interface BatchOptions {
  /** Aborts the batch: the request in flight and the wait between rounds. */
  readonly signal?: AbortSignal | undefined;
  /** Rounds before giving up on unprocessed items (default 10; 1 = no resend). */
  readonly maxAttempts?: number | undefined;
  /** The backoff's base, in milliseconds (default 50). */
  readonly baseDelayMs?: number | undefined;
  /** The longest wait between rounds, in milliseconds (default 5 000). */
  readonly maxDelayMs?: number | undefined;
  /** A number in [0, 1) for the jitter (default Math.random; tests pin it). */
  readonly random?: (() => number) | undefined;
}

/** Work was left unprocessed after every round was used. */
export class UnprocessedItemsError extends StratusError {
  override name = "UnprocessedItemsError";
  readonly operation: "BatchWriteItem" | "BatchGetItem";
  /** Rounds sent. */
  readonly attempts: number;
  /** BatchWriteItem: the writes left, by table. */
  readonly unprocessedItems: Record<string, D.DocumentWriteRequestInput[]> | undefined;
  /** BatchGetItem: the keys left, by table. */
  readonly unprocessedKeys: Record<string, DocumentItem[]> | undefined;

  constructor(
    operation: "BatchWriteItem" | "BatchGetItem",
    attempts: number,
    left: { readonly items?: Record<string, D.DocumentWriteRequestInput[]>; readonly keys?: Record<string, DocumentItem[]> },
  ) {
    const byTable = left.items ?? left.keys ?? {};
    const total = Object.values(byTable).reduce((n, list) => n + list.length, 0);
    const tables = Object.entries(byTable).map(([table, list]) => `${table} (${list.length})`).join(", ");
    const what = operation === "BatchWriteItem" ? "write requests" : "keys";
    super(`${operation}: ${total} ${what} still unprocessed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${tables}`);
    this.operation = operation;
    this.attempts = attempts;
    this.unprocessedItems = left.items;
    this.unprocessedKeys = left.keys;
  }
}

// ── BatchWriteItem ───────────────────────────────────────────────────────────────────────

type PendingWrite = readonly [table: string, request: T.WriteRequestInput];

export async function batchWrite(
  client: DynamoDB,
  input: D.DocumentBatchWriteInput,
  marshallOptions: MarshallOptions,
  unmarshallOptions: UnmarshallOptions,
  options: BatchOptions = {},
): Promise<D.DocumentBatchWriteOutput> {
  const { RequestItems, ...settings } = input;
  let pending: PendingWrite[] = [];
  for (const [table, requests] of Object.entries(RequestItems)) {
    requests.forEach((request, i) => pending.push([table, marshallWrite(request, marshallOptions, `RequestItems.${table}[${i}]`)]));
  }
  const consumed: T.ConsumedCapacity[] = [];
  const metrics: Record<string, D.DocumentItemCollectionMetrics[]> = {};
  let requests = 0;
  const maxAttempts = attemptsOf(options);
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > maxAttempts) {
      throw new UnprocessedItemsError("BatchWriteItem", maxAttempts, { items: groupWrites(pending, unmarshallOptions) });
    }
    if (attempt > 1) await backoff(attempt - 1, options);
    const next: PendingWrite[] = [];
    for (let start = 0; start < pending.length; start += MAX_BATCH_WRITE) {
      const chunk = pending.slice(start, start + MAX_BATCH_WRITE);
      const out = await client.batchWriteItem({ ...settings, RequestItems: byTable(chunk) }, callOptions(options));
      requests++;
      consumed.push(...(out.ConsumedCapacity ?? []));
      for (const [table, list] of Object.entries(out.ItemCollectionMetrics ?? {})) {
        (metrics[table] ??= []).push(...list.map(({ ItemCollectionKey, ...rest }) => ({ ...rest, ...(ItemCollectionKey ? { ItemCollectionKey: unmarshall(ItemCollectionKey, unmarshallOptions) } : {}) })));
      }
      for (const [table, left] of Object.entries(out.UnprocessedItems ?? {})) for (const request of left) next.push([table, request]);
    }
    pending = next;
  }
  return {
    ...(consumed.length ? { ConsumedCapacity: consumed } : {}),
    ...(Object.keys(metrics).length ? { ItemCollectionMetrics: metrics } : {}),
    requests,
  };
}

function marshallWrite(request: D.DocumentWriteRequestInput, options: MarshallOptions, where: string): T.WriteRequestInput {
  if (request.PutRequest) return { PutRequest: { Item: marshall(request.PutRequest.Item, options, `${where}.PutRequest.Item`) } };
  if (request.DeleteRequest) return { DeleteRequest: { Key: marshall(request.DeleteRequest.Key, options, `${where}.DeleteRequest.Key`) } };
  throw new TypeError(`${where}: a write request needs PutRequest or DeleteRequest`);
}

function groupWrites(pending: readonly PendingWrite[], options: UnmarshallOptions): Record<string, D.DocumentWriteRequestInput[]> {
  const out: Record<string, D.DocumentWriteRequestInput[]> = {};
  for (const [table, request] of pending) {
    const list = (out[table] ??= []);
    if (request.PutRequest) list.push({ PutRequest: { Item: unmarshall(request.PutRequest.Item, options) } });
    else if (request.DeleteRequest) list.push({ DeleteRequest: { Key: unmarshall(request.DeleteRequest.Key, options) } });
  }
  return out;
}

// ── BatchGetItem ─────────────────────────────────────────────────────────────────────────

type PendingKey = readonly [table: string, key: Record<string, T.AttributeValueInput>];
type TableSettings = Omit<T.KeysAndAttributesInput, "Keys">;

export async function batchGet<I>(
  client: DynamoDB,
  input: D.DocumentBatchGetInput,
  marshallOptions: MarshallOptions,
  unmarshallOptions: UnmarshallOptions,
  options: BatchOptions = {},
): Promise<D.DocumentBatchGetOutput<I>> {
  const { RequestItems, ...settings } = input;
  const tables = new Map<string, TableSettings>();
  let pending: PendingKey[] = [];
  for (const [table, { Keys, ProjectionExpression, ExpressionAttributeNames, ...rest }] of Object.entries(RequestItems)) {
    const x = new ExpressionAttributes(ExpressionAttributeNames, undefined, marshallOptions);
    const projection = ProjectionExpression === undefined ? undefined : typeof ProjectionExpression === "string" ? ProjectionExpression : renderProjection(ProjectionExpression, x);
    const names = x.namesOrUndefined();
    tables.set(table, { ...rest, ...(projection !== undefined ? { ProjectionExpression: projection } : {}), ...(names ? { ExpressionAttributeNames: names } : {}) });
    Keys.forEach((key, i) => pending.push([table, marshall(key, marshallOptions, `RequestItems.${table}.Keys[${i}]`)]));
  }
  const responses: Record<string, I[]> = {};
  for (const table of tables.keys()) responses[table] = [];
  const consumed: T.ConsumedCapacity[] = [];
  let requests = 0;
  const maxAttempts = attemptsOf(options);
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > maxAttempts) {
      const keys: Record<string, DocumentItem[]> = {};
      for (const [table, key] of pending) (keys[table] ??= []).push(unmarshall(key, unmarshallOptions));
      throw new UnprocessedItemsError("BatchGetItem", maxAttempts, { keys });
    }
    if (attempt > 1) await backoff(attempt - 1, options);
    const next: PendingKey[] = [];
    for (let start = 0; start < pending.length; start += MAX_BATCH_GET) {
      const chunk = pending.slice(start, start + MAX_BATCH_GET);
      const requestItems: Record<string, T.KeysAndAttributesInput> = {};
      for (const [table, key] of chunk) (requestItems[table] ??= { ...tables.get(table), Keys: [] }).Keys.push(key);
      const out = await client.batchGetItem({ ...settings, RequestItems: requestItems }, callOptions(options));
      requests++;
      consumed.push(...(out.ConsumedCapacity ?? []));
      for (const [table, items] of Object.entries(out.Responses ?? {})) {
        const list = (responses[table] ??= []);
        for (const item of items) list.push(unmarshall(item, unmarshallOptions) as I);
      }
      for (const [table, left] of Object.entries(out.UnprocessedKeys ?? {})) for (const key of left.Keys) next.push([table, key]);
    }
    pending = next;
  }
  return { Responses: responses, ...(consumed.length ? { ConsumedCapacity: consumed } : {}), requests };
}

// ── shared ───────────────────────────────────────────────────────────────────────────────

function byTable<V>(pending: ReadonlyArray<readonly [string, V]>): Record<string, V[]> {
  const out: Record<string, V[]> = {};
  for (const [table, value] of pending) (out[table] ??= []).push(value);
  return out;
}

function attemptsOf(options: BatchOptions): number {
  const attempts = options.maxAttempts ?? 10;
  if (!Number.isSafeInteger(attempts) || attempts < 1) throw new RangeError(`maxAttempts must be a positive integer; got ${attempts}`);
  return attempts;
}

function callOptions(options: BatchOptions): CallOptions {
  return options.signal ? { signal: options.signal } : {};
}

/** Full jitter: a random wait up to min(maxDelay, base × 2^round), cut short by the signal. */
function backoff(round: number, options: BatchOptions): Promise<void> {
  const ceiling = Math.min(options.maxDelayMs ?? 5_000, (options.baseDelayMs ?? 50) * 2 ** round);
  const ms = Math.floor((options.random ?? Math.random)() * ceiling);
  const signal = options.signal;
  if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
