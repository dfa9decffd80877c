// Protocol cost per operation: how long the core takes to turn an input into an HttpRequest
// (`serializeRequest`) and a buffered response into the output (`parseResponse`, plus
// `responseMetadata`, which the pipeline calls on every success), with the schemas built by
// `schemaFromBotocore` from the real service models in ../shared/models (or
// $STRATUS_MODELS) at run time, as a generated package's would be.
//
//   s3 ListObjectsV2    rest-xml      a listing of 1,000 keys
//   s3 PutObject        rest-xml      a 64 KiB body with the usual headers and metadata
//   dynamodb Query      json 1.0      100 items of six attributes each
//   sns PublishBatch    query         10 messages with attributes, 10 results
//
// Responses are synthetic but shaped as the services answer; a check before timing makes
// sure each parses to what it should, so a fast wrong answer cannot slip into the table.
// Each measurement warms up, then runs several fixed-length rounds and reports the median
// round (less noisy than the mean on a shared machine). Nothing here is asserted on time:
// the numbers are for people comparing changes on the same machine.
//
// Usage: node scripts/bench/protocols.ts   (or `pnpm bench`, which runs every bench file)
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROTOCOLS } from "../../packages/core/src/protocols/index.ts";
import type { Endpoint, RawResponse } from "../../packages/core/src/protocols/protocol.ts";
import { schemaFromBotocore, type BotocoreModel, type SchemaFromModel } from "../../packages/core/src/schema/from-botocore.ts";

const MODELS = process.env["STRATUS_MODELS"] ?? join(import.meta.dirname, "..", "..", "..", "shared", "models");
// STRATUS_BENCH_QUICK=1 (the bench smoke test): one short round, enough to prove it runs.
const QUICK = process.env["STRATUS_BENCH_QUICK"] === "1";
const WARMUP_MS = QUICK ? 10 : 300;
const ROUNDS = QUICK ? 1 : 7;
const ROUND_MS = QUICK ? 10 : 150;

/** The newest API version of a service in the models directory. */
function loadService(name: string): SchemaFromModel {
  const versions = readdirSync(join(MODELS, name)).sort();
  const version = versions[versions.length - 1];
  if (!version) throw new Error(`no model for ${name} in ${MODELS}`);
  const model = JSON.parse(readFileSync(join(MODELS, name, version, "service-2.json"), "utf8")) as BotocoreModel;
  return schemaFromBotocore(model);
}

interface Case {
  readonly label: string;
  readonly schema: SchemaFromModel;
  readonly operation: string;
  readonly endpoint: Endpoint;
  readonly input: Record<string, unknown>;
  readonly response: RawResponse;
  /** Throws unless the parsed output is what the response holds. */
  readonly check: (output: Record<string, unknown>) => void;
}

const utf8 = new TextEncoder();

function ok(response: string | Uint8Array, headers: Record<string, string> = {}): RawResponse {
  return { statusCode: 200, headers, body: typeof response === "string" ? utf8.encode(response) : response };
}

function expectCount(what: string, value: unknown, count: number): void {
  const length = Array.isArray(value) ? value.length : -1;
  if (length !== count) throw new Error(`${what}: expected ${count} entries, parsed ${length}`);
}

// ---- s3 (rest-xml) ------------------------------------------------------------------------

const s3 = loadService("s3");
const s3Endpoint: Endpoint = { protocol: "https:", hostname: "s3.eu-west-1.amazonaws.com", path: "" };

function listObjectsXml(count: number): string {
  const contents: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(5, "0");
    contents.push(
      `<Contents><Key>photos/2024/05/img-${n}.jpg</Key><LastModified>2024-05-${String((i % 28) + 1).padStart(2, "0")}T12:34:56.000Z</LastModified>` +
        `<ETag>&quot;${(i * 2654435761 >>> 0).toString(16).padStart(8, "0")}9b2cf535f27731c974343645a3&quot;</ETag>` +
        `<ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType><Size>${100_000 + i * 37}</Size>` +
        `<StorageClass>STANDARD</StorageClass></Contents>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    `<Name>example-bucket</Name><Prefix>photos/2024/</Prefix><KeyCount>${count}</KeyCount><MaxKeys>1000</MaxKeys>` +
    `<IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>` +
    `${contents.join("")}</ListBucketResult>`
  );
}

const listObjects: Case = {
  label: "s3 ListObjectsV2 (1,000 keys)",
  schema: s3,
  operation: "ListObjectsV2",
  endpoint: s3Endpoint,
  input: { Bucket: "example-bucket", Prefix: "photos/2024/", MaxKeys: 1000, ContinuationToken: "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J" },
  response: ok(listObjectsXml(1000), { "x-amz-request-id": "4442587FB7D0A2F9", "x-amz-id-2": "vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=" }),
  check: (output) => expectCount("Contents", output["Contents"], 1000),
};

const putObject: Case = {
  label: "s3 PutObject (64 KiB body)",
  schema: s3,
  operation: "PutObject",
  endpoint: s3Endpoint,
  input: {
    Bucket: "example-bucket",
    Key: "photos/2024/05/img 00042.jpg",
    Body: new Uint8Array(64 * 1024).fill(0x5a),
    ContentType: "image/jpeg",
    CacheControl: "max-age=86400",
    ServerSideEncryption: "aws:kms",
    SSEKMSKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    StorageClass: "INTELLIGENT_TIERING",
    Tagging: "project=photos&owner=me",
    Metadata: { camera: "x100v", "taken-at": "2024-05-01T12:00:00Z", album: "spring" },
  },
  response: ok("", {
    "x-amz-request-id": "0A49CE4060975EAC",
    "x-amz-id-2": "ZM6uqaBmFGI0YfZiCnL5zj4qXFb8kGz1eVsa0M9D3Ozbd4kp1X7Sd1e9sAxTXIUjGP8lP0zEZhY=",
    etag: '"6805f2cfc46c0f04559748bb039d69ae"',
    "x-amz-server-side-encryption": "aws:kms",
    "x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "x-amz-version-id": "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo",
    "x-amz-checksum-crc64nvme": "i2Be5QhxDoA=",
    "x-amz-checksum-type": "FULL_OBJECT",
  }),
  check: (output) => {
    if (output["ETag"] !== '"6805f2cfc46c0f04559748bb039d69ae"' || output["VersionId"] === undefined) throw new Error("PutObject: headers not parsed");
  },
};

// ---- dynamodb (json) ------------------------------------------------------------------------

const dynamodb = loadService("dynamodb");

function queryItems(count: number): string {
  const items: string[] = [];
  for (let i = 0; i < count; i++) {
    items.push(
      JSON.stringify({
        pk: { S: "customer#00042" },
        sk: { S: `order#2024-05-${String((i % 28) + 1).padStart(2, "0")}#${String(i).padStart(4, "0")}` },
        total: { N: String(19.99 + i) },
        paid: { BOOL: i % 3 !== 0 },
        tags: { SS: ["gift", "express", `batch-${i % 7}`] },
        shipping: { M: { city: { S: "Lisbon" }, zip: { S: "1100-148" }, lines: { L: [{ S: "Rua Augusta 1" }, { S: "3 esq." }] } } },
      }),
    );
  }
  return `{"Count":${count},"ScannedCount":${count},"Items":[${items.join(",")}],"ConsumedCapacity":{"TableName":"orders","CapacityUnits":12.5}}`;
}

const dynamoQuery: Case = {
  label: "dynamodb Query (100 items)",
  schema: dynamodb,
  operation: "Query",
  endpoint: { protocol: "https:", hostname: "dynamodb.eu-west-1.amazonaws.com", path: "" },
  input: {
    TableName: "orders",
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    FilterExpression: "paid = :paid",
    ExpressionAttributeValues: { ":pk": { S: "customer#00042" }, ":prefix": { S: "order#2024-05" }, ":paid": { BOOL: true } },
    Limit: 100,
    ReturnConsumedCapacity: "TOTAL",
  },
  response: ok(queryItems(100), { "x-amzn-requestid": "T0V0HV6RHHQ42K8R9E2LS0ICJ3VV4KQNSO5AEMVJF66Q9ASUAAJG", "x-amz-crc32": "1234567890" }),
  check: (output) => expectCount("Items", output["Items"], 100),
};

// ---- sns (query) ----------------------------------------------------------------------------

const sns = loadService("sns");

function publishBatchXml(count: number): string {
  const members: string[] = [];
  for (let i = 0; i < count; i++) {
    members.push(`<member><Id>msg-${i}</Id><MessageId>${String(i).padStart(8, "0")}-8f1b-5d7e-9a3c-2b4e6f8a0c1d</MessageId></member>`);
  }
  return (
    `<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult>` +
    `<Successful>${members.join("")}</Successful><Failed/></PublishBatchResult>` +
    `<ResponseMetadata><RequestId>8e1c9c1f-5a2f-5e34-9a6b-4b7d0d3c2e1a</RequestId></ResponseMetadata></PublishBatchResponse>`
  );
}

const publishBatch: Case = {
  label: "sns PublishBatch (10 messages)",
  schema: sns,
  operation: "PublishBatch",
  endpoint: { protocol: "https:", hostname: "sns.eu-west-1.amazonaws.com", path: "" },
  input: {
    TopicArn: "arn:aws:sns:eu-west-1:111122223333:orders",
    PublishBatchRequestEntries: Array.from({ length: 10 }, (_, i) => ({
      Id: `msg-${i}`,
      Message: JSON.stringify({ orderId: `order-${i}`, status: "shipped", items: [1, 2, 3] }),
      Subject: "Order update",
      MessageAttributes: {
        event: { DataType: "String", StringValue: "order.shipped" },
        priority: { DataType: "Number", StringValue: String(i % 3) },
        region: { DataType: "String", StringValue: "eu-west-1" },
      },
    })),
  },
  // No request-id header, as the body carries it: responseMetadata reads the body.
  response: ok(publishBatchXml(10)),
  check: (output) => expectCount("Successful", output["Successful"], 10),
};

// ---- timing ---------------------------------------------------------------------------------

let sink = 0;

/** Median µs per call of `fn` over ROUNDS rounds of ROUND_MS, after WARMUP_MS of warm-up. */
function measure(fn: () => number): number {
  const until = (ms: number): number => {
    const end = performance.now() + ms;
    let calls = 0;
    while (performance.now() < end) {
      // Batches of 8 keep the clock reads out of the cost of fast operations.
      for (let i = 0; i < 8; i++) sink += fn();
      calls += 8;
    }
    return calls;
  };
  until(WARMUP_MS);
  const perCall: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    const calls = until(ROUND_MS);
    perCall.push(((performance.now() - start) * 1000) / calls);
  }
  perCall.sort((a, b) => a - b);
  return perCall[Math.floor(perCall.length / 2)] ?? Number.NaN;
}

interface Row {
  readonly label: string;
  readonly protocol: string;
  readonly serialize: number;
  readonly parse: number;
}

function run(c: Case): Row {
  const { service, operations } = c.schema;
  const operation = operations[c.operation];
  if (!operation) throw new Error(`${c.label}: no operation ${c.operation} in the model`);
  const protocol = PROTOCOLS[service.protocol];
  const call = { service, operation, response: c.response };
  const serialize = (): number => {
    const request = protocol.serializeRequest({ service, operation, input: c.input, endpoint: c.endpoint });
    return request.path.length;
  };
  const parse = (): number => {
    const output = protocol.parseResponse(call);
    const ids = protocol.responseMetadata(c.response);
    return Object.keys(output).length + (ids.requestId?.length ?? 0);
  };
  // Not timed: the case is right before it is fast.
  c.check(protocol.parseResponse(call));
  if (!protocol.responseMetadata(c.response).requestId) throw new Error(`${c.label}: no request id`);
  serialize();
  return { label: c.label, protocol: service.protocol, serialize: measure(serialize), parse: measure(parse) };
}

function fmt(us: number): string {
  return us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2);
}

const rows = [listObjects, putObject, dynamoQuery, publishBatch].map(run);

const header = ["operation", "protocol", "serialize µs", "parse µs", "total µs/op", "ops/s"];
const table = rows.map((r) => {
  const total = r.serialize + r.parse;
  return [r.label, r.protocol, fmt(r.serialize), fmt(r.parse), fmt(total), Math.round(1e6 / total).toLocaleString("en-US")];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? "").length)));
const line = (cells: readonly string[]): string =>
  cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");

console.log(`protocols: serialize + parse per operation (Node ${process.version}, median of ${ROUNDS} rounds of ${ROUND_MS} ms after ${WARMUP_MS} ms warm-up)`);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of table) console.log(line(row));
if (sink === 42) console.log(""); // keeps the measured work observable
