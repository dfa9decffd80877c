/**
 * DynamoDB for the document-layer bench (a `LoopbackRoute` for the loopback server),
 * answering at once with fixed, realistic data:
 *
 *   GetItem   a user profile of 20 attributes: strings, numbers (whole and decimal),
 *             booleans, NULL, a binary, string and number sets, maps nested two deep,
 *             lists of maps
 *   Query     100 order items of 11 attributes each (one page, no LastEvaluatedKey)
 *   PutItem   {} — after checking that the Item sent is, attribute for attribute, the
 *             profile GetItem returns (the bench puts back what it got, so a document layer
 *             must marshall exactly what it unmarshalled)
 *
 * Each request's body is parsed and checked (key, item, expression values): a document
 * layer that sends the wrong thing gets a ValidationException, not a fast answer. Any table
 * name is taken; the calls answered are counted by table, so that a bench running several
 * clients at once can check each one's calls.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isDeepStrictEqual } from "node:util";
import { crc32 } from "node:zlib";
import type { LoopbackRoute } from "./loopback-server.ts";

export const PROFILE_KEY = { pk: "user#1042", sk: "profile" } as const;
export const QUERY_ITEMS = 100;

type Wire = Record<string, unknown>;

const S = (value: string): Wire => ({ S: value });
const N = (value: number | string): Wire => ({ N: String(value) });

export const PROFILE: Record<string, Wire> = {
  pk: S(PROFILE_KEY.pk),
  sk: S(PROFILE_KEY.sk),
  userId: S("6f1c2a9e-3b7d-4e21-9a4f-2d8c0b5e7a13"),
  name: S("Ada Lovelace"),
  email: S("ada@example.com"),
  age: N(36),
  balance: N("1024.75"),
  loginCount: N(18342),
  active: { BOOL: true },
  verified: { BOOL: false },
  deletedAt: { NULL: true },
  createdAt: S("2024-05-01T12:00:00.000Z"),
  avatar: { B: Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 37) % 256)).toString("base64") },
  tags: { SS: ["math", "engines", "poetry", "analysis"] },
  scores: { NS: ["98", "87.5", "100", "64"] },
  address: { M: { street: S("12 St James's Square"), city: S("London"), zip: S("SW1Y 4JH"), geo: { M: { lat: N("51.5074"), lon: N("-0.1346") } } } },
  preferences: {
    M: {
      theme: S("dark"),
      notifications: { M: { email: { BOOL: true }, sms: { BOOL: false }, push: { BOOL: true } } },
      languages: { L: [S("en"), S("fr"), S("it")] },
    },
  },
  recentOrders: {
    L: [1, 2, 3].map((n) => ({ M: { orderId: S(`order#${String(n).padStart(4, "0")}`), total: N(`${19 * n}.99`), items: N(n + 1), gift: { BOOL: n === 2 } } })),
  },
  phoneNumbers: { L: [S("+44 20 7946 0018"), S("+44 7700 900123")] },
  metadata: { M: { source: S("signup-form"), version: N(7), flags: { SS: ["beta", "newsletter"] } } },
};

function order(n: number): Record<string, Wire> {
  const id = `order#${String(n).padStart(4, "0")}`;
  return {
    pk: S(PROFILE_KEY.pk),
    sk: S(id),
    orderId: S(id),
    status: S(["placed", "shipped", "delivered"][n % 3] ?? "placed"),
    total: N(`${(n * 7.31).toFixed(2)}`),
    currency: S("GBP"),
    itemCount: N((n % 5) + 1),
    placedAt: S(new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString()),
    shipped: { BOOL: n % 3 !== 0 },
    lines: { L: [0, 1].map((i) => ({ M: { sku: S(`sku-${n}-${i}`), qty: N(i + 1), price: N(`${(n + i) % 50}.5`) } })) },
    labels: { SS: ["web", n % 2 === 0 ? "express" : "standard"] },
  };
}

function answer(payload: unknown): { body: Buffer; crc: string } {
  const body = Buffer.from(JSON.stringify(payload));
  return { body, crc: String(crc32(body)) };
}

const GET_ANSWER = answer({ Item: PROFILE });
const PUT_ANSWER = answer({});
const QUERY_ANSWER = answer({ Items: Array.from({ length: QUERY_ITEMS }, (_, i) => order(i + 1)), Count: QUERY_ITEMS, ScannedCount: QUERY_ITEMS });

export interface DocumentCounts {
  getItem: number;
  putItem: number;
  query: number;
}

export interface DocumentRoutes {
  readonly route: LoopbackRoute;
  /** Calls answered with 200, by table and operation. */
  countsFor(table: string): DocumentCounts;
}

export function documentRoutes(): DocumentRoutes {
  const byTable = new Map<string, DocumentCounts>();
  const countsFor = (table: string): DocumentCounts => {
    let counts = byTable.get(table);
    if (counts === undefined) byTable.set(table, (counts = { getItem: 0, putItem: 0, query: 0 }));
    return counts;
  };
  const keyOf = (input: Wire): boolean => isDeepStrictEqual(input["Key"], { pk: PROFILE.pk, sk: PROFILE.sk });

  const route: LoopbackRoute = async (request, response, requestId) => {
    const target = request.headers["x-amz-target"];
    if (request.method !== "POST" || typeof target !== "string" || !target.startsWith("DynamoDB_20120810.")) return false;
    const operation = target.slice("DynamoDB_20120810.".length);
    let input: Wire;
    try {
      input = JSON.parse(await text(request)) as Wire;
    } catch {
      sendError(response, requestId, "SerializationException", "the body is not JSON");
      return true;
    }
    const table = input["TableName"];
    if (typeof table !== "string" || table === "") return sendError(response, requestId, "ValidationException", "TableName is required");
    const counts = countsFor(table);
    if (operation === "GetItem") {
      if (!keyOf(input)) return sendError(response, requestId, "ValidationException", `GetItem: unexpected Key ${JSON.stringify(input["Key"])}`);
      counts.getItem++;
      send(response, requestId, GET_ANSWER);
      return true;
    }
    if (operation === "PutItem") {
      if (!isDeepStrictEqual(input["Item"], PROFILE)) return sendError(response, requestId, "ValidationException", `PutItem: the Item is not the profile GetItem returns: ${JSON.stringify(input["Item"]).slice(0, 400)}`);
      counts.putItem++;
      send(response, requestId, PUT_ANSWER);
      return true;
    }
    if (operation === "Query") {
      const values = input["ExpressionAttributeValues"] as Wire | undefined;
      const expression = input["KeyConditionExpression"];
      const pk = typeof expression === "string" ? /pk = (:\w+)/.exec(expression)?.[1] : undefined;
      if (pk === undefined || !isDeepStrictEqual(values?.[pk], PROFILE.pk)) {
        return sendError(response, requestId, "ValidationException", `Query: expected pk = ${PROFILE_KEY.pk}; got ${JSON.stringify({ expression, values })}`);
      }
      counts.query++;
      send(response, requestId, QUERY_ANSWER);
      return true;
    }
    return sendError(response, requestId, "UnknownOperationException", `the bench server does not answer ${operation}`);
  };
  return { route, countsFor };
}

async function text(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, requestId: string, { body, crc }: { body: Buffer; crc: string }): void {
  response.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": body.length, "x-amzn-requestid": requestId, "x-amz-crc32": crc });
  response.end(body);
}

/** Answers a DynamoDB client error (400, the JSON protocol's __type); true, for the route's return. */
function sendError(response: ServerResponse, requestId: string, type: string, message: string): true {
  const body = Buffer.from(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
  response.writeHead(400, { "content-type": "application/x-amz-json-1.0", "content-length": body.length, "x-amzn-requestid": requestId, "x-amz-crc32": String(crc32(body)) });
  response.end(body);
  return true;
}
