// The retry loop of the pipeline against loopback fakes: 500/503/throttling retried with
// $metadata counting attempts and delay; the retried request byte-identical apart from
// date, signature and amz-sdk-request; idempotency tokens kept; a 400 not retried; a
// dropped connection retried; clock skew corrected and re-signed; an expired token
// refreshed once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ServiceClient } from "../../src/client/service-client.ts";
import { NetworkError } from "../../src/errors/index.ts";
import { ServiceError } from "../../src/errors/service-error.ts";
import { countingTokenProvider, startTokenOneExpiredServer } from "../support/expiring-token.ts";
import { sendJson, startLoopbackServer, type ReceivedRequest } from "../support/loopback-server.ts";
import { fastRetry, loadService, loopbackConfig, op } from "./service-fixtures.ts";

const sqs = loadService("sqs", "2012-11-05");
const dynamodb = loadService("dynamodb", "2012-08-10");

/** Everything about a request except what each attempt is allowed to change. */
function attemptInvariant(req: ReceivedRequest): unknown {
  const headers: Record<string, unknown> = { ...req.headers };
  for (const name of ["x-amz-date", "authorization", "amz-sdk-request"]) delete headers[name];
  return { method: req.method, url: req.url, headers, body: req.body };
}

test("500, 503 and a throttle are retried; $metadata counts attempts and delay; each retry is the same request", async () => {
  const answers = [
    (res: Parameters<Parameters<typeof startLoopbackServer>[0]>[1]) => sendJson(res, { __type: "InternalError" }, 500),
    (res: Parameters<Parameters<typeof startLoopbackServer>[0]>[1]) => {
      res.writeHead(503, { "content-type": "text/html" });
      res.end("<html>Service Unavailable</html>");
    },
    (res: Parameters<Parameters<typeof startLoopbackServer>[0]>[1]) => sendJson(res, { __type: "com.amazon.coral.availability#ThrottlingException", message: "Rate exceeded" }, 400),
    (res: Parameters<Parameters<typeof startLoopbackServer>[0]>[1]) => sendJson(res, {}),
  ];
  let n = 0;
  const server = await startLoopbackServer((_req, res) => answers[n++]?.(res));
  const client = new ServiceClient(dynamodb.definition, loopbackConfig(server.url, { retryStrategy: fastRetry(4) }));
  try {
    const out = await client.send(op(dynamodb, "TransactWriteItems"), {
      TransactItems: [{ Put: { TableName: "t", Item: { id: { S: "1" } } } }],
    });
    assert.equal(out.$metadata.attempts, 4);
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.ok(out.$metadata.totalRetryDelay > 0);
    assert.equal(server.requests.length, 4);

    const [first, ...rest] = server.requests;
    assert.ok(first);
    // The idempotency token the serializer filled in is in every attempt's body.
    const token = (JSON.parse(first.body) as { ClientRequestToken?: string }).ClientRequestToken;
    assert.match(token ?? "", /^[0-9a-f-]{36}$/);
    rest.forEach((req, i) => {
      assert.deepEqual(attemptInvariant(req), attemptInvariant(first), `attempt ${i + 2} differs from the first`);
      assert.equal(req.headers["amz-sdk-request"], `attempt=${i + 2}; max=4`);
      assert.notEqual(req.headers["authorization"], undefined);
    });
    assert.equal(first.headers["amz-sdk-request"], "attempt=1; max=4");
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("retries stop at maxAttempts and the last error carries every attempt", async () => {
  const server = await startLoopbackServer((_req, res) => sendJson(res, { __type: "InternalError", message: "boom" }, 500));
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url));
  try {
    await assert.rejects(client.send(op(sqs, "ListQueues"), {}), (error: unknown) => {
      assert.ok(error instanceof sqs.baseError);
      assert.equal((error as ServiceError).$metadata.attempts, 3);
      assert.equal((error as ServiceError).$metadata.httpStatusCode, 500);
      assert.ok((error as ServiceError).$metadata.totalRetryDelay > 0);
      return true;
    });
    assert.equal(server.requests.length, 3);
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("a non-retryable 400 is not retried", async () => {
  const server = await startLoopbackServer((_req, res) => sendJson(res, { __type: "com.amazonaws.sqs#InvalidAddress", message: "bad" }, 400));
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url));
  try {
    await assert.rejects(client.send(op(sqs, "ListQueues"), {}), (error: unknown) => {
      assert.equal((error as ServiceError).$metadata.attempts, 1);
      assert.equal((error as ServiceError).$metadata.totalRetryDelay, 0);
      return true;
    });
    assert.equal(server.requests.length, 1);
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("a connection dropped before the answer is retried as a connection error", async () => {
  let n = 0;
  const server = await startLoopbackServer((_req, res) => {
    if (n++ === 0) res.socket?.destroy();
    else sendJson(res, { QueueUrls: [] });
  });
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url));
  try {
    const out = await client.send(op(sqs, "ListQueues"), {});
    assert.equal(out.$metadata.attempts, 2);
  } finally {
    await client.destroy();
    await server.close();
  }
  // With nothing listening, the NetworkError ends the call after the last attempt.
  const refused = new ServiceClient(sqs.definition, loopbackConfig(server.url, { retryStrategy: fastRetry(2) }));
  try {
    await assert.rejects(refused.send(op(sqs, "ListQueues"), {}), (error: unknown) => {
      assert.ok(error instanceof NetworkError);
      assert.equal(error.code, "ECONNREFUSED");
      assert.deepEqual(error.$metadata, { attempts: 2, totalRetryDelay: error.$metadata.totalRetryDelay });
      assert.ok(error.$metadata.totalRetryDelay > 0);
      return true;
    });
  } finally {
    await refused.destroy();
  }
});

test("clock skew: the offset is learned from Date, the request re-signed at the server's time, later calls signed right", async () => {
  const serverOffsetMs = 2 * 60 * 60_000; // the server's clock is two hours ahead
  const server = await startLoopbackServer((req, res) => {
    const serverNow = Date.now() + serverOffsetMs;
    const signed = amzDateMs(String(req.headers["x-amz-date"]));
    res.setHeader("date", new Date(serverNow).toUTCString());
    if (Math.abs(serverNow - signed) > 5 * 60_000) {
      sendJson(res, { __type: "com.amazon.coral.service#InvalidSignatureException", message: "Signature expired" }, 400);
    } else {
      sendJson(res, { QueueUrls: [] });
    }
  });
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url));
  try {
    const out = await client.send(op(sqs, "ListQueues"), {});
    assert.equal(out.$metadata.attempts, 2);
    assert.equal(out.$metadata.totalRetryDelay, 0, "a corrected skew is resent at once");
    const [first, second] = server.requests;
    assert.ok(first && second);
    assert.equal(second.body, first.body);
    assert.notEqual(second.headers["authorization"], first.headers["authorization"]);
    assert.ok(Math.abs(amzDateMs(String(second.headers["x-amz-date"])) - (Date.now() + serverOffsetMs)) < 60_000);

    const later = await client.send(op(sqs, "ListQueues"), {});
    assert.equal(later.$metadata.attempts, 1);
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("a skew error without a skewed clock is not retried", async () => {
  const server = await startLoopbackServer((_req, res) => {
    res.setHeader("date", new Date().toUTCString());
    sendJson(res, { __type: "InvalidSignatureException", message: "wrong key" }, 400);
  });
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url));
  try {
    await assert.rejects(client.send(op(sqs, "ListQueues"), {}), (error: unknown) => (error as ServiceError).$metadata.attempts === 1);
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("an expired token: the credentials are invalidated and resolved again, once", async () => {
  const provider = countingTokenProvider();
  const server = await startTokenOneExpiredServer();
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url, { credentials: provider }));
  try {
    const out = await client.send(op(sqs, "ListQueues"), {});
    assert.equal(out.$metadata.attempts, 2);
    assert.equal(provider.resolved, 2);
    assert.deepEqual(server.requests.map((r) => r.headers["x-amz-security-token"]), ["token-1", "token-2"]);
    // The refreshed credentials are cached for the next call.
    await client.send(op(sqs, "ListQueues"), {});
    assert.equal(provider.resolved, 2);
  } finally {
    await client.destroy();
    await server.close();
  }

  // A token that stays expired is resent only once.
  const always = await startLoopbackServer((_req, res) => sendJson(res, { __type: "ExpiredTokenException" }, 400));
  const stuck = new ServiceClient(sqs.definition, loopbackConfig(always.url, { credentials: provider, retryStrategy: fastRetry(5) }));
  try {
    await assert.rejects(stuck.send(op(sqs, "ListQueues"), {}), (error: unknown) => (error as ServiceError).$metadata.attempts === 2);
  } finally {
    await stuck.destroy();
    await always.close();
  }
});

test("the logger hears about attempts and retries, never about secrets", async () => {
  const lines: string[] = [];
  const record = (message: string, details?: Readonly<Record<string, unknown>>): void => {
    lines.push(`${message} ${JSON.stringify(details ?? {})}`);
  };
  let n = 0;
  const server = await startLoopbackServer((_req, res) => {
    if (n++ === 0) sendJson(res, { __type: "ThrottlingException" }, 400);
    else sendJson(res, { QueueUrls: [] });
  });
  const secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  const token = "SESSION-TOKEN-VALUE";
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url, {
    credentials: { accessKeyId: "ASIAEXAMPLE", secretAccessKey: secret, sessionToken: token },
    logger: { debug: record, warn: record },
  }));
  try {
    await client.send(op(sqs, "ListQueues"), {});
    assert.ok(lines.some((line) => line.startsWith("SQS.ListQueues attempt 1 failed") && line.includes('"kind":"throttling"')));
    assert.ok(lines.some((line) => line.startsWith("SQS.ListQueues succeeded") && line.includes('"attempts":2')));
    const all = lines.join("\n");
    assert.doesNotMatch(all, new RegExp(secret.replace(/[+/]/g, "\\$&")));
    assert.doesNotMatch(all, new RegExp(token));
    const signature = /Signature=([0-9a-f]{64})/.exec(String(server.requests[0]?.headers["authorization"]))?.[1];
    assert.ok(signature);
    assert.doesNotMatch(all, new RegExp(signature));
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("the retry quota is the client's: a run of failures stops retrying for every call", async () => {
  const server = await startLoopbackServer((_req, res) => sendJson(res, { __type: "InternalError" }, 500));
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url));
  try {
    let lastAttempts = 0;
    // 500 tokens, 5 per retry: 100 retries, then calls fail after one attempt.
    for (let i = 0; i < 60; i++) {
      lastAttempts = await client.send(op(sqs, "ListQueues"), {}).then(
        () => 0,
        (error: unknown) => (error as ServiceError).$metadata.attempts,
      );
    }
    assert.equal(lastAttempts, 1);
  } finally {
    await client.destroy();
    await server.close();
  }
});

function amzDateMs(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) throw new Error(`not an x-amz-date: ${amzDate}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}
