/**
 * Fake services for the paginator tests: each keeps the exact requests it was sent (deep
 * copies, so a later mutation by anyone would show) and answers from a fixed data set the
 * way the real service pages it, so a test can assert both the request sequence and that
 * the items seen are exactly the data set, once each.
 */
import type { SendOptions } from "../../src/paginate/index.ts";

export type Request = Record<string, unknown>;

export interface Recorder<I, O> {
  readonly send: (input: I, options: SendOptions) => Promise<O>;
  readonly calls: Request[];
  /** The objects returned, by reference, to check they were not changed. */
  readonly returned: O[];
  readonly signals: Array<AbortSignal | undefined>;
}

function record<I extends object, O>(answer: (input: I) => O): Recorder<I, O> {
  const calls: Request[] = [];
  const returned: O[] = [];
  const signals: Array<AbortSignal | undefined> = [];
  return {
    calls,
    returned,
    signals,
    send: async (input, options) => {
      calls.push(structuredClone(input) as Request);
      signals.push(options.signal);
      const page = answer(input);
      returned.push(page);
      return page;
    },
  };
}

/** `count` keys "k00", "k01", ... */
export function keyNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `k${String(i).padStart(2, "0")}`);
}

export interface ListObjectsV2Input {
  readonly Bucket: string;
  readonly ContinuationToken?: string;
  readonly MaxKeys?: number;
}

export interface ListObjectsV2Output {
  readonly Contents?: Array<{ readonly Key: string }>;
  readonly CommonPrefixes?: Array<{ readonly Prefix: string }>;
  readonly IsTruncated?: boolean;
  readonly NextContinuationToken?: string;
  readonly KeyCount?: number;
}

/**
 * S3 ListObjectsV2 over `keys`: MaxKeys (default `defaultPageSize`) per page, tokens
 * "ct-<index of the next key>", one CommonPrefix per page naming where the page started.
 */
export function fakeListObjectsV2(keys: readonly string[], defaultPageSize = 4) {
  return record<ListObjectsV2Input, ListObjectsV2Output>((input) => {
    const start = input.ContinuationToken === undefined ? 0 : Number(input.ContinuationToken.slice(3));
    const size = input.MaxKeys ?? defaultPageSize;
    const slice = keys.slice(start, start + size);
    const end = start + slice.length;
    const more = end < keys.length;
    return {
      Contents: slice.map((Key) => ({ Key })),
      CommonPrefixes: [{ Prefix: `from-${start}/` }],
      IsTruncated: more,
      ...(more ? { NextContinuationToken: `ct-${end}` } : {}),
      KeyCount: slice.length,
    };
  });
}

export type AttributeValue = { readonly S: string } | { readonly N: string } | { readonly B: Uint8Array };
export type Item = Record<string, AttributeValue>;

export interface QueryInput {
  readonly TableName: string;
  readonly ExclusiveStartKey?: Item;
  readonly Limit?: number;
}

export interface QueryOutput {
  readonly Items?: Item[];
  readonly Count?: number;
  readonly ScannedCount?: number;
  readonly LastEvaluatedKey?: Item;
  readonly ConsumedCapacity?: { readonly TableName: string; readonly CapacityUnits: number };
}

function sameAttribute(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if ("B" in a && "B" in b) return Buffer.from(a.B).equals(Buffer.from(b.B));
  if ("S" in a && "S" in b) return a.S === b.S;
  if ("N" in a && "N" in b) return a.N === b.N;
  return false;
}

/**
 * DynamoDB Query over `count` items of partition "user": the sort key is a number, or a
 * one-byte binary when `binaryKeys`. LastEvaluatedKey is the last item's key map (a map
 * token); ScannedCount is twice Count, so sums can be told from counts.
 */
export function fakeQuery(count: number, options: { binaryKeys?: boolean; pageSize?: number } = {}) {
  const items: Item[] = Array.from({ length: count }, (_, i) => ({
    pk: { S: "user" },
    sk: options.binaryKeys ? { B: new Uint8Array([i]) } : { N: String(i) },
    data: { S: `item-${i}` },
  }));
  return record<QueryInput, QueryOutput>((input) => {
    let start = 0;
    if (input.ExclusiveStartKey !== undefined) {
      const key = input.ExclusiveStartKey;
      const index = items.findIndex((item) => sameAttribute(item.pk, key.pk) && sameAttribute(item.sk, key.sk));
      if (index < 0) throw new Error(`fake Query: unknown ExclusiveStartKey ${JSON.stringify(key)}`);
      start = index + 1;
    }
    const size = input.Limit ?? options.pageSize ?? 4;
    const slice = items.slice(start, start + size);
    const last = slice[slice.length - 1];
    const more = start + slice.length < items.length;
    return {
      Items: slice,
      Count: slice.length,
      ScannedCount: slice.length * 2,
      ...(more && last ? { LastEvaluatedKey: { pk: last.pk as AttributeValue, sk: last.sk as AttributeValue } } : {}),
      ConsumedCapacity: { TableName: input.TableName, CapacityUnits: 0.5 },
    };
  });
}

/** A `send` that answers from a script of pages, in order, and records every request. */
export function scripted<O>(pages: readonly O[]) {
  let next = 0;
  return record<object, O>(() => {
    const page = pages[next++];
    if (page === undefined) throw new Error(`scripted send: no page ${next} (only ${pages.length})`);
    return page;
  });
}

/** Drains an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

/** The JSON inside a resume token, for asserting its botocore layout. */
export function decodeToken(token: string | undefined): unknown {
  if (token === undefined) throw new Error("no resume token");
  return JSON.parse(Buffer.from(token, "base64").toString("utf8"));
}
