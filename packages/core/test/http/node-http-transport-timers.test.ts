// An upload the server stops reading, ended by a timeout or by the caller, leaves no timer
// behind on the node:http transport. (Found by the fault suite, test/faults: the body
// writer's progress callback refreshed the request timer after the request was destroyed,
// which re-armed a cleared timer, a ref'd 300 s one by default, keeping the process alive.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { AbortError, TimeoutError } from "../../src/errors/index.ts";
import type { HttpRequest } from "../../src/http/http-request.ts";
import { createNodeHttpHandler } from "../../src/http/node-handler.ts";

const BODY_BYTES = 8 * 1024 * 1024;

function timers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "Timeout").length;
}

/** A server that takes the headers and never reads the body, so the client's writes stall. */
async function unreadingServer(): Promise<{ port: number; received: Promise<IncomingMessage>; close(): Promise<void> }> {
  let arrived: (req: IncomingMessage) => void = () => undefined;
  const received = new Promise<IncomingMessage>((resolve) => (arrived = resolve));
  const server = createServer((req) => arrived(req));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function upload(port: number, expectContinue: boolean): HttpRequest {
  return {
    method: "PUT",
    protocol: "http:",
    hostname: "127.0.0.1",
    port,
    path: "/",
    query: [],
    headers: { "content-length": String(BODY_BYTES), ...(expectContinue ? { expect: "100-continue" } : {}) },
    body: new Uint8Array(BODY_BYTES),
  };
}

for (const expectContinue of [false, true]) {
  const how = expectContinue ? "after Expect: 100-continue" : "sent at once";
  test(`node:http, an upload ${how}: the request timeout leaves no timer`, async () => {
    const server = await unreadingServer();
    const handler = createNodeHttpHandler({ engine: "node:http", requestTimeout: 150 });
    const before = timers();
    try {
      await assert.rejects(handler.handle(upload(server.port, expectContinue), {}), (error: unknown) => error instanceof TimeoutError && error.timeout === "request");
      // Right away: a re-armed timer would still be pending for another 150 ms.
      assert.equal(timers(), before, "no timer outlives the failed upload");
    } finally {
      await handler.destroy?.();
      await server.close();
    }
  });

  test(`node:http, an upload ${how}: the caller's abort leaves no timer (default 300 s request timeout)`, async () => {
    const server = await unreadingServer();
    const handler = createNodeHttpHandler({ engine: "node:http" });
    const before = timers();
    const controller = new AbortController();
    try {
      const sending = handler.handle(upload(server.port, expectContinue), { signal: controller.signal });
      await server.received;
      controller.abort("stop");
      await assert.rejects(sending, (error: unknown) => error instanceof AbortError);
      // Let the body writer notice the destroyed request.
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(timers(), before, "no timer outlives the aborted upload");
    } finally {
      await handler.destroy?.();
      await server.close();
    }
  });
}
