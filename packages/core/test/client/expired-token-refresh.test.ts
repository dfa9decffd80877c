// Concurrent calls refused the same expired session token share one credential refresh:
// the pipeline invalidates only the credentials the refused attempt was signed with
// (found by the fault suite, test/faults: eight calls made eight refreshes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ServiceClient } from "../../src/client/service-client.ts";
import { countingTokenProvider, startTokenOneExpiredServer } from "../support/expiring-token.ts";
import { loadService, loopbackConfig, op } from "./service-fixtures.ts";

const sqs = loadService("sqs", "2012-11-05");

test("eight calls refused the same expired token at once share one refresh", async () => {
  const provider = countingTokenProvider();
  const server = await startTokenOneExpiredServer();
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url, { credentials: provider }));
  try {
    const outs = await Promise.all(Array.from({ length: 8 }, () => client.send(op(sqs, "ListQueues"), {})));
    assert.ok(outs.every((out) => out.$metadata.attempts === 2));
    assert.equal(provider.resolved, 2, "one refresh for all eight");
    const resent = server.requests.map((r) => r.headers["x-amz-security-token"]).filter((token) => token !== "token-1");
    assert.deepEqual(resent, Array.from({ length: 8 }, () => "token-2"));
  } finally {
    await client.destroy();
    await server.close();
  }
});
