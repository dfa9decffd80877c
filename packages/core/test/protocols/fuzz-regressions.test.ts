// Numbers the fuzz suite (test/fuzz) caught the protocol readers passing through silently:
// an integer member that reads as Infinity, a fraction or NaN, and number headers read by
// Number(), which takes "0x10" for 16. The rule now, in every protocol (the v3 SDK's
// expectLong/expectInt32, botocore's int() for headers): an integer member holds an
// integer written in decimal; one beyond 2^53 rounds to the nearest double, one beyond a
// double's range is a ParseError. Float and double members are unchanged (Infinity from
// "1e400" is what botocore's float() and JSON.parse give).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParseError } from "../../src/errors/index.ts";
import { encodeCbor } from "../../src/protocols/cbor/encode.ts";
import { jsonProtocol } from "../../src/protocols/json.ts";
import type { ParseCall } from "../../src/protocols/protocol.ts";
import { restXmlProtocol } from "../../src/protocols/rest-xml.ts";
import { rpcV2CborProtocol } from "../../src/protocols/rpc-v2-cbor.ts";
import type { OperationSchema, ServiceSchema, StructureShape } from "../../src/schema/types.ts";

const Output: StructureShape = {
  type: "structure",
  name: "Output",
  members: { Count: { target: { type: "integer" } }, Size: { target: { type: "long" } }, Units: { target: { type: "double" } } },
};
const operation: OperationSchema = { name: "Get", http: { method: "POST", requestUri: "/" }, output: Output };
const base = { apiVersion: "2024-01-01", signingName: "x", endpointPrefix: "x" };
const xml: ServiceSchema = { ...base, serviceId: "X", protocol: "rest-xml" };
const json: ServiceSchema = { ...base, serviceId: "X", protocol: "json", targetPrefix: "X" };
const cbor: ServiceSchema = { ...base, serviceId: "X", protocol: "smithy-rpc-v2-cbor", targetPrefix: "X" };

const call = (service: ServiceSchema, body: string | Uint8Array): ParseCall => ({
  service,
  operation,
  response: { statusCode: 200, headers: {}, body: typeof body === "string" ? new TextEncoder().encode(body) : body },
});

test("rest-xml: an integer too long for a double is a ParseError, not Infinity", () => {
  assert.throws(() => restXmlProtocol.parseResponse(call(xml, `<Output><Size>1${"0".repeat(400)}</Size></Output>`)), ParseError);
  assert.throws(() => restXmlProtocol.parseResponse(call(xml, `<Output><Count>-1${"0".repeat(400)}</Count></Output>`)), ParseError);
  assert.deepEqual(restXmlProtocol.parseResponse(call(xml, "<Output><Size>123456789012345678901234567890</Size></Output>")), { Size: 123456789012345678901234567890 });
  assert.deepEqual(restXmlProtocol.parseResponse(call(xml, "<Output><Units>1e400</Units></Output>")), { Units: Infinity });
});

test("awsJson: an integer member refuses a fraction and an overflow to Infinity", () => {
  for (const bad of ['{"Count":1.5}', '{"Size":1e400}', '{"Size":-1e400}']) {
    assert.throws(() => jsonProtocol.parseResponse(call(json, bad)), ParseError, bad);
  }
  assert.deepEqual(jsonProtocol.parseResponse(call(json, '{"Count":2.0,"Size":123456789012345678901234567890}')), { Count: 2, Size: 123456789012345678901234567890 });
  assert.deepEqual(jsonProtocol.parseResponse(call(json, '{"Units":1e400}')), { Units: Infinity });
});

test("smithy-rpc-v2-cbor: an integer member refuses a fraction, NaN, ±Infinity and a bignum past a double", () => {
  for (const bad of [1.5, Number.NaN, Infinity, -Infinity, 2n ** 1100n]) {
    assert.throws(() => rpcV2CborProtocol.parseResponse(call(cbor, encodeCbor({ Count: bad }))), ParseError, String(bad));
  }
  assert.deepEqual(rpcV2CborProtocol.parseResponse(call(cbor, encodeCbor({ Count: 3.0, Size: 2n ** 64n - 1n }))), { Count: 3, Size: 18446744073709551615 });
  assert.deepEqual(rpcV2CborProtocol.parseResponse(call(cbor, encodeCbor({ Units: Infinity }))), { Units: Infinity });
});

test("REST headers: a number is read only from decimal text", () => {
  const Headers: StructureShape = {
    type: "structure",
    name: "Headers",
    members: {
      Length: { target: { type: "long" }, location: "header", locationName: "Content-Length" },
      Ratio: { target: { type: "double" }, location: "header", locationName: "X-Ratio" },
    },
  };
  const head: OperationSchema = { name: "Head", http: { method: "HEAD", requestUri: "/" }, output: Headers };
  const read = (headers: Record<string, string>) => restXmlProtocol.parseResponse({ service: xml, operation: head, response: { statusCode: 200, headers, body: new Uint8Array() } });
  for (const bad of ["0x10", "0b11", "0o17", "1e3", "1_000", "", "Infinity"]) {
    assert.throws(() => read({ "content-length": bad }), ParseError, bad);
  }
  for (const bad of ["0x10", "1_0", "", "1e", "Inf"]) {
    assert.throws(() => read({ "x-ratio": bad }), ParseError, bad);
  }
  assert.deepEqual(read({ "content-length": " +0012 ", "x-ratio": "1.5e3" }), { Length: 12, Ratio: 1500 });
  assert.deepEqual(read({ "x-ratio": "-Infinity" }), { Ratio: -Infinity });
});
