/**
 * Writing awsJson requests: the wire shape of values the conformance suites cannot express
 * (bigint precision, Date and ISO-string timestamps, Map inputs, a union's unknown member
 * written back) and the errors a caller gets for values JSON cannot carry.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StratusError } from "../../src/errors/index.ts";
import { jsonProtocol } from "../../src/protocols/json.ts";
import type { Endpoint } from "../../src/protocols/protocol.ts";
import type { OperationSchema, ServiceSchema, Shape, StructureShape } from "../../src/schema/types.ts";

const service: ServiceSchema = {
  serviceId: "Test",
  apiVersion: "2020-01-01",
  protocol: "json",
  jsonVersion: "1.0",
  targetPrefix: "TestService_20200101",
  signingName: "test",
  endpointPrefix: "test",
};
const endpoint: Endpoint = { protocol: "https:", hostname: "test.us-east-1.amazonaws.com", path: "" };

const Choice: StructureShape = {
  type: "structure",
  name: "Choice",
  union: true,
  members: { Text: { target: { type: "string" } } },
};
const Input: StructureShape = {
  type: "structure",
  name: "Input",
  members: {
    Count: { target: { type: "long" } },
    Ratio: { target: { type: "float" } },
    When: { target: { type: "timestamp" } },
    WhenIso: { target: { type: "timestamp" }, timestampFormat: "iso8601" },
    Tags: { target: { type: "map", key: { target: { type: "string" } }, value: { target: { type: "string" } } } satisfies Shape },
    Choice: { target: Choice },
    Renamed: { target: { type: "string" }, locationName: "renamed_on_wire" },
    Token: { target: { type: "string" }, idempotencyToken: true },
  },
};
const operation: OperationSchema = { name: "Put", http: { method: "POST", requestUri: "/" }, input: Input };

function body(input: Record<string, unknown>): unknown {
  const request = jsonProtocol.serializeRequest({ service, operation, input: { Token: "t", ...input }, endpoint });
  return typeof request.body === "string" ? JSON.parse(request.body) : undefined;
}

describe("awsJson requests", () => {
  it("names the operation and the version in headers", () => {
    const request = jsonProtocol.serializeRequest({ service, operation, input: {}, endpoint, idempotencyToken: () => "tok" });
    assert.equal(request.headers["x-amz-target"], "TestService_20200101.Put");
    assert.equal(request.headers["content-type"], "application/x-amz-json-1.0");
    assert.equal(request.headers["content-length"], String(Buffer.byteLength(String(request.body))));
    assert.deepEqual(JSON.parse(String(request.body)), { Token: "tok" });
  });

  it("fills a missing idempotency token with a fresh UUID by default", () => {
    const request = jsonProtocol.serializeRequest({ service, operation, input: {}, endpoint });
    assert.match(String((JSON.parse(String(request.body)) as { Token: string }).Token), /^[0-9a-f-]{36}$/);
  });

  it("keeps every digit of a bigint", () => {
    const request = jsonProtocol.serializeRequest({ service, operation, input: { Token: "t", Count: 12345678901234567890n }, endpoint });
    assert.match(String(request.body), /"Count":12345678901234567890[,}]/);
  });

  it("writes timestamps as epoch seconds by default and in the member's format when it has one", () => {
    const when = new Date("2020-01-02T03:04:05.250Z");
    assert.deepEqual(body({ When: when, WhenIso: "2020-01-02T03:04:05Z" }), {
      Token: "t",
      When: 1577934245.25,
      WhenIso: "2020-01-02T03:04:05Z",
    });
  });

  it("writes NaN and infinities of floats as strings, and refuses them for integers", () => {
    assert.deepEqual(body({ Ratio: Number.NaN }), { Token: "t", Ratio: "NaN" });
    assert.deepEqual(body({ Ratio: -Infinity }), { Token: "t", Ratio: "-Infinity" });
    assert.throws(() => body({ Count: Infinity }), StratusError);
  });

  it("accepts a Map for a map member, uses locationName, and skips null members", () => {
    assert.deepEqual(body({ Tags: new Map([["a", "1"]]), Renamed: "x", Choice: null }), {
      Token: "t",
      Tags: { a: "1" },
      renamed_on_wire: "x",
    });
  });

  it("writes a union's $unknown member back as it was read", () => {
    assert.deepEqual(body({ Choice: { $unknown: ["Picture", { url: "x" }] } }), { Token: "t", Choice: { Picture: { url: "x" } } });
  });

  it("reports a value of the wrong type with its path", () => {
    assert.throws(() => body({ Tags: "a=1" }), /input\.Tags: expected an object/);
    assert.throws(() => body({ Renamed: 5 }), /input\.Renamed: expected a string/);
  });

  it("prefixes the host for an endpoint trait and rejects labels that are not host labels", () => {
    const Label: StructureShape = { type: "structure", name: "L", members: { label: { target: { type: "string" }, hostLabel: true } } };
    const op: OperationSchema = { name: "Op", http: { method: "POST", requestUri: "/" }, input: Label, hostPrefix: "{label}.data." };
    assert.equal(jsonProtocol.serializeRequest({ service, operation: op, input: { label: "abc-1" }, endpoint }).hostname, "abc-1.data.test.us-east-1.amazonaws.com");
    for (const bad of ["", "a/b", "evil.com/x", "-a", undefined]) {
      assert.throws(() => jsonProtocol.serializeRequest({ service, operation: op, input: { label: bad }, endpoint }), StratusError);
    }
  });
});
