// What the fuzz suite (test/fuzz/eventstream.fuzz.ts) found in the frame decoder: a string
// header (or a header name) starting with U+FEFF came back without it, because the UTF-8
// decoder took it for a byte-order mark. A header's text is kept exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeHeaders, encodeHeaders } from "../../src/eventstream/headers.ts";
import { decodeMessage, encodeMessage } from "../../src/eventstream/message.ts";

test("a leading U+FEFF stays in a string header's value and in a header name", () => {
  const headers = { "\uFEFFname": { type: "string", value: "\uFEFFvalue" } } as const;
  assert.deepEqual(decodeHeaders(encodeHeaders(headers)), headers);
  const message = decodeMessage(encodeMessage({ headers: { ":event-type": { type: "string", value: "\uFEFF" } }, body: new Uint8Array() }));
  assert.deepEqual(message.headers[":event-type"], { type: "string", value: "\uFEFF" });
});
