// Retries of uploads, through the pipeline to a loopback fake that answers 500 once after
// reading the body: a replayable body (bytes, Blob, a factory) is resent with the same
// bytes and checksum; a one-shot stream whose bytes went out is not resent, and the error
// says why; a one-shot stream that was never read (the connection failed first) is sent
// on the retry; a broken source or a wrong declared length fails at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { ServiceClient } from "../../src/client/service-client.ts";
import { NetworkError } from "../../src/errors/index.ts";
import { ServiceError } from "../../src/errors/service-error.ts";
import type { HttpHandler } from "../../src/http/http-handler.ts";
import { createNodeHttpHandler } from "../../src/http/node-handler.ts";
import { RequestBody, RequestBodyError } from "../../src/http/request-body.ts";
import { loadService, loopbackConfig, op } from "../client/service-fixtures.ts";
import { startFakeS3, type FakeS3 } from "../support/fake-s3-checksums.ts";

const s3 = loadService("s3", "2006-03-01", { stripBucketFromPath: true });

function data(n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

async function withFake(run: (fake: FakeS3, client: ServiceClient) => Promise<void>, extra: Parameters<typeof loopbackConfig>[1] = {}): Promise<void> {
  const fake = await startFakeS3();
  const client = new ServiceClient(s3.definition, loopbackConfig(fake.url, { endpointParams: { ForcePathStyle: true }, ...extra }));
  try {
    await run(fake, client);
  } finally {
    await client.destroy();
    await fake.close();
  }
}

function put(client: ServiceClient, body: unknown, extra: Record<string, unknown> = {}): Promise<{ $metadata: { attempts: number } }> {
  return client.send(op(s3, "PutObject"), { Bucket: "bucket", Key: "key", Body: body, ...extra });
}

test("a replayable body is resent identically after a 500: bytes, a Blob, a factory", async () => {
  const body = data(150_000);
  const cases: Array<[string, () => unknown]> = [
    ["bytes", () => body],
    ["Blob", () => new Blob([body])],
    ["factory", () => RequestBody.replayable(() => Readable.from([body.subarray(0, 70_000), body.subarray(70_000)]))],
    ["factory of unknown length, aws-chunked", () => RequestBody.replayable(() => Readable.from([body]))],
  ];
  for (const [name, make] of cases) {
    await withFake(async (fake, client) => {
      fake.options.failPuts = 1;
      const out = await put(client, make());
      assert.equal(out.$metadata.attempts, 2, name);
      assert.equal(fake.puts.length, 2, name);
      const [first, second] = fake.puts;
      assert.equal(first?.error, undefined, name);
      assert.deepEqual(first?.data, body, name);
      assert.deepEqual(second?.data, body, name);
      assert.deepEqual(second?.checksum, first?.checksum, name);
      assert.ok(first?.checksum, name);
    });
  }
});

test("a one-shot stream is sent once: a 500 after its bytes went out is not retried, and the error says why", async () => {
  for (const extra of [{}, { requestChecksumCalculation: "when_required" as const }]) {
    await withFake(async (fake, client) => {
      fake.options.failPuts = 1;
      await assert.rejects(put(client, Readable.from([data(50_000)])), (error: unknown) => {
        assert.ok(error instanceof ServiceError);
        assert.equal(error.code, "InternalError");
        assert.equal(error.$metadata.attempts, 1);
        assert.match(error.message, /not retried: the request body, a Readable, is a stream that was already read/);
        return true;
      });
      assert.equal(fake.puts.length, 1);
      assert.deepEqual(fake.puts[0]?.data, data(50_000));
    }, extra);
  }
});

test("a one-shot stream that was never read (the connection failed first) is sent on the retry", async () => {
  const fake = await startFakeS3();
  const real = createNodeHttpHandler();
  let calls = 0;
  const flaky: HttpHandler = {
    handle(request, options) {
      // The first attempt fails as a refused connection would: before any byte of the body.
      if (++calls === 1) return Promise.reject(new NetworkError("the connection failed: connect ECONNREFUSED", "ECONNREFUSED"));
      return real.handle(request, options);
    },
  };
  const client = new ServiceClient(s3.definition, loopbackConfig(fake.url, { endpointParams: { ForcePathStyle: true }, http: { handler: flaky } }));
  try {
    const out = await put(client, Readable.from([data(20_000)]));
    assert.equal(out.$metadata.attempts, 2);
    assert.equal(fake.puts.length, 1);
    assert.deepEqual(fake.puts[0]?.data, data(20_000));
  } finally {
    await client.destroy();
    await real.destroy?.();
    await fake.close();
  }
});

test("a source that fails, or a body shorter than its declared length, is a RequestBodyError and is not retried", async () => {
  await withFake(async (fake, client) => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield data(10_000);
      throw new Error("upstream went away");
    }
    await assert.rejects(put(client, broken()), (error: unknown) => {
      assert.ok(error instanceof RequestBodyError, String(error));
      assert.match(error.message, /upstream went away/);
      assert.equal(error.$metadata.attempts, 1);
      return true;
    });
    await assert.rejects(put(client, Readable.from([data(100)]), { ContentLength: 200 }), (error: unknown) => {
      assert.ok(error instanceof RequestBodyError, String(error));
      assert.match(error.message, /differs from the Content-Length/);
      return true;
    });
    assert.ok(fake.puts.every((received) => received.error !== undefined || received.data.length < 200));
  }, { requestChecksumCalculation: "when_required" });
});
