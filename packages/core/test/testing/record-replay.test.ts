// recordHttp and replayHttp as transports, against a loopback server: what a recording
// keeps and what it redacts, streamed bodies both ways, stability from one run to the
// next, and how replay picks an exchange or says why none fits.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDefaultHttpHandler } from "../../src/client/transport.ts";
import type { HttpHandler } from "../../src/http/http-handler.ts";
import type { HttpRequest } from "../../src/http/http-request.ts";
import { RequestBody } from "../../src/http/request-body.ts";
import { ReplayMismatchError } from "../../src/testing/errors.ts";
import type { HttpExchange } from "../../src/testing/http-exchange.ts";
import { recordHttp } from "../../src/testing/record-http.ts";
import { loadRecording, replayHttp } from "../../src/testing/replay-http.ts";
import { startLoopbackServer, type LoopbackServer } from "../support/loopback-server.ts";
import { findSecrets } from "../../../../test/support/secret-scanner.ts";

const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY-recorder-secret";
const SESSION_TOKEN = "IQoJb3JpZ2luX2VjEJr-recorder-session-token-0123456789";
const SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
const CHUNK_SIGNATURE = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";

let server: LoopbackServer;
let inner: HttpHandler;

before(async () => {
  server = await startLoopbackServer((req, res) => {
    if (req.url.startsWith("/large")) {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(Buffer.alloc(200_000, 7));
    } else if (req.url.startsWith("/credentials")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ Credentials: { AccessKeyId: "ASIAEXAMPLE", SecretAccessKey: SECRET_KEY, SessionToken: SESSION_TOKEN, Expiration: 1 } }));
    } else if (req.url.startsWith("/xml")) {
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(`<R><SecretAccessKey>${SECRET_KEY}</SecretAccessKey><SessionToken>${SESSION_TOKEN}</SessionToken><Name>kept</Name></R>`);
    } else {
      res.writeHead(200, { "content-type": "text/plain", "x-echo-length": String(Buffer.byteLength(req.body)) });
      res.end(`echo ${req.method} ${req.url} ${req.body}`);
    }
  });
  inner = createDefaultHttpHandler();
});
after(async () => {
  await inner.destroy?.();
  await server.close();
});

function request(path: string, extra: Partial<HttpRequest> = {}, run = 1): HttpRequest {
  return {
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: server.port,
    path,
    query: [],
    headers: {
      host: `127.0.0.1:${server.port}`,
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": "Service.Operation",
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20300101/us-east-1/svc/aws4_request, SignedHeaders=host, Signature=${SIGNATURE.slice(run)}`,
      "x-amz-security-token": SESSION_TOKEN,
      "x-amz-date": `2030010${run}T000000Z`,
      "amz-sdk-invocation-id": `invocation-${run}`,
      "amz-sdk-request": `attempt=${run}; max=3`,
      "user-agent": `stratus/${run}`,
      "x-amz-user-agent": `stratus/${run}`,
    },
    ...extra,
  };
}

async function send(handler: HttpHandler, req: HttpRequest, signal?: AbortSignal): Promise<{ status: number; text: string; headers: Readonly<Record<string, string>> }> {
  const response = await handler.handle(req, { signal });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

describe("recordHttp", () => {
  it("keeps what identifies a request and redacts credentials, signatures and tokens everywhere", async () => {
    const recorder = recordHttp({ handler: inner });
    const presigned = request("/credentials", {
      method: "GET",
      headers: {},
      query: [
        ["X-Amz-Algorithm", "AWS4-HMAC-SHA256"],
        ["X-Amz-Credential", "AKIDEXAMPLE/20300101/us-east-1/s3/aws4_request"],
        ["X-Amz-Security-Token", SESSION_TOKEN],
        ["X-Amz-Signature", SIGNATURE],
        ["X-Amz-Date", "20300101T000000Z"],
        ["list-type", "2"],
      ],
    });
    const got = await send(recorder, presigned);
    assert.match(got.text, new RegExp(SECRET_KEY.slice(0, 12)), "the caller gets the real answer");
    await send(recorder, request("/xml", { body: JSON.stringify({ clientSecret: "client-secret-value-0123456789", name: "kept" }) }));

    const saved = JSON.stringify(recorder.recording());
    assert.deepEqual(findSecrets([saved], [SECRET_KEY, SESSION_TOKEN, SIGNATURE, "client-secret-value-0123456789"]), []);
    const [first, second] = recorder.exchanges as [HttpExchange, HttpExchange];
    assert.equal(
      first.request.url,
      `http://127.0.0.1:${server.port}/credentials?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%5Bredacted%5D&X-Amz-Security-Token=%5Bredacted%5D&X-Amz-Signature=%5Bredacted%5D&X-Amz-Date=%5Bredacted%5D&list-type=2`,
    );
    assert.deepEqual(JSON.parse(first.response.body.utf8 ?? ""), {
      Credentials: { AccessKeyId: "ASIAEXAMPLE", SecretAccessKey: "[redacted]", SessionToken: "[redacted]", Expiration: 1 },
    });
    assert.deepEqual(second.request.headers, { "content-type": "application/x-amz-json-1.0", "x-amz-target": "Service.Operation" });
    assert.equal(second.request.body?.utf8, '{"clientSecret":"[redacted]","name":"kept"}');
    assert.equal(second.response.body.utf8, "<R><SecretAccessKey>[redacted]</SecretAccessKey><SessionToken>[redacted]</SessionToken><Name>kept</Name></R>");
    assert.equal(second.response.headers["connection"], undefined, "hop-by-hop headers are left out");
    assert.equal(second.response.headers["content-type"], "text/xml");
  });

  it("records the same request the same way on every run (signature, date, invocation id, user agent aside)", async () => {
    const recorder = recordHttp({ handler: inner });
    await send(recorder, request("/same", { body: "{}" }, 1));
    await send(recorder, request("/same", { body: "{}" }, 2));
    const [a, b] = recorder.exchanges as [HttpExchange, HttpExchange];
    assert.deepEqual(a.request, b.request);
  });

  it("copies a streamed upload as the transport reads it, binary bodies as base64, and signed chunk signatures redacted", async () => {
    const recorder = recordHttp({ handler: inner });
    const bytes = new Uint8Array([0, 1, 2, 254, 255]);
    const body = RequestBody.fromStream(
      (async function* () {
        yield bytes.subarray(0, 2);
        yield bytes.subarray(2);
      })(),
    );
    const got = await send(recorder, request("/stream", { body }));
    assert.equal(got.status, 200);
    assert.equal(server.requests.at(-1)?.url, "/stream");
    assert.equal(recorder.exchanges[0]?.request.body?.base64, Buffer.from(bytes).toString("base64"));

    const chunked = `5;chunk-signature=${CHUNK_SIGNATURE}\r\nhello\r\n0;chunk-signature=${CHUNK_SIGNATURE}\r\n\r\n`;
    await send(recorder, request("/chunked", { body: chunked, headers: { "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" } }));
    assert.equal(recorder.exchanges[1]?.request.body?.utf8, "5;chunk-signature=[redacted]\r\nhello\r\n0;chunk-signature=[redacted]\r\n\r\n");
  });

  it("marks a response body the caller stopped reading as truncated", async () => {
    const recorder = recordHttp({ handler: inner });
    const response = await recorder.handle(request("/large", { method: "GET", headers: {} }), {});
    for await (const chunk of response.body) {
      assert.ok(chunk.byteLength > 0);
      break;
    }
    const recorded = recorder.exchanges[0]?.response.body;
    assert.equal(recorded?.truncated, true);
    assert.ok(Buffer.from(recorded?.base64 ?? recorded?.utf8 ?? "", recorded?.base64 ? "base64" : "utf8").byteLength < 200_000);
  });

  it("saves a recording that loadRecording reads back, and forgets a request whose transport failed", async () => {
    const folder = mkdtempSync(join(tmpdir(), "stratus-recorder-"));
    try {
      const failing: HttpHandler = { handle: () => Promise.reject(new Error("refused")) };
      const recorder = recordHttp({ handler: failing });
      await assert.rejects(recorder.handle(request("/x"), {}), /refused/);
      assert.deepEqual(recorder.exchanges, []);
      const ok = recordHttp({ handler: inner });
      await send(ok, request("/saved", { body: "{}" }));
      const path = join(folder, "nested", "recording.json");
      await ok.save(path);
      assert.deepEqual(await loadRecording(path), ok.recording());
      writeFileSync(join(folder, "other.json"), JSON.stringify({ hello: 1 }));
      await assert.rejects(loadRecording(join(folder, "other.json")), /other\.json is not a recording made by recordHttp \(version 1\)/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe("replayHttp", () => {
  async function recordedExchanges(...requests: HttpRequest[]): Promise<readonly HttpExchange[]> {
    const recorder = recordHttp({ handler: inner });
    for (const req of requests) await send(recorder, req);
    return recorder.exchanges;
  }

  it("answers by request in any order, repeated requests in recorded order, on any port", async () => {
    const exchanges = await recordedExchanges(request("/a", { body: "1" }), request("/b", { body: "2" }), request("/a", { body: "1" }));
    const replay = replayHttp(exchanges);
    const elsewhere = (req: HttpRequest): HttpRequest => ({ ...req, port: 1 });
    assert.equal((await send(replay, elsewhere(request("/b", { body: "2" }, 2)))).text, "echo POST /b 2");
    assert.equal((await send(replay, request("/a", { body: "1" }, 3))).text, "echo POST /a 1");
    assert.equal(replay.unused.length, 1);
    assert.equal((await send(replay, request("/a", { body: "1" }, 4))).text, "echo POST /a 1");
    const error = await replay.handle(request("/a", { body: "1" }), {}).then(() => assert.fail("no answer left"), (e: unknown) => e);
    assert.ok(error instanceof ReplayMismatchError);
    assert.equal(
      error.message,
      `replayHttp: POST http://127.0.0.1:${server.port}/a (x-amz-target: Service.Operation) was sent more often than recorded: ` +
        `the closest recorded exchange is #1, POST http://127.0.0.1:${server.port}/a (x-amz-target: Service.Operation), which was already replayed`,
    );
  });

  it("names the closest exchange and every way it differs", async () => {
    const exchanges = await recordedExchanges(request("/items", { body: '{"TableName":"users"}', query: [["a", "1"]] }), request("/other", { method: "GET", headers: {} }));
    const replay = replayHttp(exchanges);
    const sent = request("/items", { body: '{"TableName":"usres"}', query: [["a", "2"]], headers: { ...request("/").headers, "x-amz-target": "Service.Other" } });
    const error = await replay.handle(sent, {}).then(() => assert.fail("expected a mismatch"), (e: unknown) => e);
    assert.ok(error instanceof ReplayMismatchError);
    assert.equal(
      error.message,
      `replayHttp: no recorded exchange matches POST http://127.0.0.1:${server.port}/items?a=2 (x-amz-target: Service.Other); ` +
        `the closest recorded exchange is #1, POST http://127.0.0.1:${server.port}/items?a=1 (x-amz-target: Service.Operation), which differs in:\n` +
        '  - query: recorded "a=1", sent "a=2"\n' +
        '  - header x-amz-target: recorded "Service.Operation", sent "Service.Other"\n' +
        '  - body (from byte 16): recorded 21 bytes, "{\\"TableName\\":\\"users\\"}", sent 21 bytes, "{\\"TableName\\":\\"usres\\"}"',
    );
  });

  it("in sequence mode answers strictly in order, and says when the recording is used up", async () => {
    const exchanges = await recordedExchanges(request("/one", { body: "" }), request("/two", { body: "" }));
    const replay = replayHttp({ version: 1, exchanges }, { match: "sequence" });
    const outOfOrder = await replay.handle(request("/two", { body: "" }), {}).then(() => assert.fail(), (e: unknown) => e);
    assert.ok(outOfOrder instanceof ReplayMismatchError);
    assert.match(outOfOrder.message, /the next recorded exchange is #1, POST http:\/\/127\.0\.0\.1:\d+\/one .*which differs in:\n {2}- path: recorded \/one, sent \/two$/);
    await send(replay, request("/one", { body: "" }));
    await send(replay, request("/two", { body: "" }));
    await assert.rejects(replay.handle(request("/three"), {}), {
      name: "ReplayMismatchError",
      message: `replayHttp: POST http://127.0.0.1:${server.port}/three (x-amz-target: Service.Operation) was sent, but all 2 recorded exchanges were already replayed`,
    });
    await assert.rejects(replayHttp([]).handle(request("/x"), {}), /the recording has no exchanges/);
  });

  it("streams a replayed body in chunks, reads a streamed request body, and stops on abort", async () => {
    const exchanges = await recordedExchanges(request("/large", { method: "GET", headers: {} }), request("/stream", { body: "abc" }));
    const replay = replayHttp(exchanges, { chunkSize: 65_536 });
    const response = await replay.handle(request("/large", { method: "GET", headers: {} }), {});
    const sizes: number[] = [];
    for await (const chunk of response.body) sizes.push(chunk.byteLength);
    assert.deepEqual(sizes, [65_536, 65_536, 65_536, 200_000 - 3 * 65_536]);

    const streamedBody = RequestBody.fromStream((async function* () { yield "a"; yield "bc"; })());
    assert.equal((await send(replay, request("/stream", { body: streamedBody }))).text, "echo POST /stream abc");

    const aborted = new AbortController();
    aborted.abort(new Error("caller gave up"));
    await assert.rejects(replay.handle(request("/large"), { signal: aborted.signal }), /caller gave up/);
  });

  it("reads a saved recording lazily, reporting a missing file on the first request", async () => {
    const replay = replayHttp(join(tmpdir(), "stratus-no-such-recording.json"));
    assert.deepEqual(replay.unused, []);
    await assert.rejects(replay.handle(request("/x"), {}), /ENOENT/);
  });
});
