/**
 * platform/uuid.ts: Web Crypto's randomUUID where there is one; built from getRandomValues
 * where there is not (a browser page on plain http), in the same version 4 form.
 */
import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { test } from "node:test";
import { randomUuid } from "../../src/platform/uuid.ts";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("randomUUID is used where the runtime has it", () => {
  assert.equal(randomUuid({ randomUUID: () => "from-web-crypto", getRandomValues: (a) => a }), "from-web-crypto");
  assert.match(randomUuid(), V4);
});

test("without randomUUID, a version 4 UUID is built from getRandomValues", () => {
  const insecure = { getRandomValues: <T extends Uint8Array>(array: T): T => webcrypto.getRandomValues(array) };
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const uuid = randomUuid(insecure);
    assert.match(uuid, V4);
    seen.add(uuid);
  }
  assert.equal(seen.size, 1000, "no repeats");
  // Every byte value reaches the output: all ones still give the version and variant bits.
  assert.equal(randomUuid({ getRandomValues: (a) => a.fill(0xff) }), "ffffffff-ffff-4fff-bfff-ffffffffffff");
  assert.equal(randomUuid({ getRandomValues: (a) => a.fill(0) }), "00000000-0000-4000-8000-000000000000");
});
