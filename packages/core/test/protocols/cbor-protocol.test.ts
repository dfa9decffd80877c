/**
 * The smithy-rpc-v2-cbor protocol beyond what its conformance suites exercise: idempotency
 * tokens, endpoint base paths, the arbitrary-precision types, unions with members the model
 * does not know, documents (unsupported), malformed responses, and the corners of error
 * parsing (no `__type`, unreadable bodies, query-compatible codes). Schemas are written
 * inline as the runtime layout; bodies are built with the codec, so each test reads as data.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeCbor } from "../../src/protocols/cbor/decode.ts";
import { encodeCbor } from "../../src/protocols/cbor/encode.ts";
import { CborTagged } from "../../src/protocols/cbor/tagged.ts";
import { rpcV2CborProtocol } from "../../src/protocols/rpc-v2-cbor.ts";
import type { Endpoint, RawResponse } from "../../src/protocols/protocol.ts";
import { ParseError, StratusError } from "../../src/errors/index.ts";
import type { OperationSchema, ServiceSchema, Shape, StructureShape } from "../../src/schema/types.ts";

const service: ServiceSchema = {
  serviceId: "Example",
  apiVersion: "2024-01-01",
  protocol: "smithy-rpc-v2-cbor",
  targetPrefix: "ExampleService",
  signingName: "example",
  endpointPrefix: "example",
};
const queryCompatible: ServiceSchema = { ...service, awsQueryCompatible: true };
const endpoint: Endpoint = { protocol: "https:", hostname: "example.amazonaws.com", path: "" };

const string: Shape = { type: "string" };
const integer: Shape = { type: "integer" };

const greeting: StructureShape = {
  type: "structure",
  name: "Greeting",
  union: true,
  members: { hi: { target: string }, count: { target: integer } },
};

const everything: StructureShape = {
  type: "structure",
  name: "Everything",
  members: {
    token: { target: string, idempotencyToken: true },
    name: { target: string },
    long: { target: { type: "long" } },
    double: { target: { type: "double" } },
    big: { target: { type: "biginteger" } },
    decimal: { target: { type: "bigdecimal" } },
    when: { target: { type: "timestamp", timestampFormat: "iso8601" } },
    data: { target: { type: "blob" } },
    flag: { target: { type: "boolean" } },
    names: { target: { type: "list", member: { target: string } } },
    counts: { target: { type: "map", key: { target: string }, value: { target: integer } } },
    greeting: { target: () => greeting },
    nested: { target: () => everything },
    doc: { target: { type: "document" } },
  },
};

const operation: OperationSchema = {
  name: "DoThing",
  http: { method: "POST", requestUri: "/" },
  input: everything,
  output: () => everything,
};

function serialize(input: Record<string, unknown>, options: { endpoint?: Endpoint; service?: ServiceSchema; op?: OperationSchema } = {}) {
  return rpcV2CborProtocol.serializeRequest({
    service: options.service ?? service,
    operation: options.op ?? operation,
    input,
    endpoint: options.endpoint ?? endpoint,
    idempotencyToken: () => "fixed-token",
  });
}

function bodyOf(request: { body?: unknown }): unknown {
  assert.ok(request.body instanceof Uint8Array);
  return decodeCbor(request.body);
}

function response(body: unknown, statusCode = 200, headers: Record<string, string> = {}): RawResponse {
  return { statusCode, headers, body: body instanceof Uint8Array ? body : encodeCbor(body) };
}

test("request: path, method and headers; content headers only with a body", () => {
  const request = serialize({ name: "x" });
  assert.equal(request.method, "POST");
  assert.equal(request.path, "/service/ExampleService/operation/DoThing");
  assert.deepStrictEqual(request.query, []);
  assert.equal(request.headers["smithy-protocol"], "rpc-v2-cbor");
  assert.equal(request.headers["accept"], "application/cbor");
  assert.equal(request.headers["content-type"], "application/cbor");
  assert.equal(request.headers["content-length"], String((request.body as Uint8Array).length));
  assert.equal(request.headers["x-amzn-query-mode"], undefined);
  assert.equal(request.headers["x-amz-target"], undefined);

  const bare = serialize({}, { op: { name: "Ping", http: { method: "GET", requestUri: "/ping" } } });
  assert.equal(bare.method, "POST", "HTTP bindings are ignored");
  assert.equal(bare.body, undefined);
  assert.equal(bare.headers["content-type"], undefined);
  assert.equal(bare.headers["content-length"], undefined);
  assert.equal(bare.headers["accept"], "application/cbor");
});

test("request: an endpoint base path prefixes the RPC path", () => {
  for (const path of ["/v1", "/v1/"]) {
    assert.equal(serialize({}, { endpoint: { ...endpoint, path } }).path, "/v1/service/ExampleService/operation/DoThing");
  }
});

test("request: query-compatible services send x-amzn-query-mode", () => {
  assert.equal(serialize({}, { service: queryCompatible }).headers["x-amzn-query-mode"], "true");
});

test("request: a service schema without targetPrefix cannot name the service", () => {
  const { targetPrefix: _, ...nameless } = service;
  assert.throws(() => serialize({}, { service: nameless }), /targetPrefix/);
});

test("request: idempotency tokens are filled when left out, kept when given", () => {
  assert.deepStrictEqual(bodyOf(serialize({})), { token: "fixed-token" });
  assert.deepStrictEqual(bodyOf(serialize({ token: "mine" })), { token: "mine" });
  const generated = rpcV2CborProtocol.serializeRequest({ service, operation, input: {}, endpoint });
  const token = (bodyOf(generated) as { token: string }).token;
  assert.match(token, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("request: every shape type on the wire", () => {
  const input = {
    token: "t",
    name: "ü",
    long: 2n ** 60n,
    double: "-Infinity",
    big: 2n ** 100n,
    decimal: "-12.3450",
    when: "2024-05-06T07:08:09.5Z",
    data: "raw",
    flag: false,
    names: ["a", null, "b"],
    counts: { one: 1, none: null },
    greeting: { hi: "there" },
    nested: { name: "inner", nested: { flag: true } },
    unknownKey: "ignored",
  };
  assert.deepStrictEqual(bodyOf(serialize(input)), {
    token: "t",
    name: "ü",
    long: 2n ** 60n,
    double: -Infinity,
    big: 2n ** 100n,
    decimal: new CborTagged(4, [-4, -123450]),
    when: new Date("2024-05-06T07:08:09.5Z"),
    data: new TextEncoder().encode("raw"),
    flag: false,
    names: ["a", "b"],
    counts: { one: 1 },
    greeting: { hi: "there" },
    nested: { name: "inner", nested: { flag: true } },
  });
  // Whole seconds go out as an integer under tag 1, fractions as a float.
  const whole = serialize({ token: "t", when: new Date(1700000000000) }).body as Uint8Array;
  assert.match(Buffer.from(whole).toString("hex"), /c11a6553f100/);
});

test("request: documents are unsupported and wrong types are named", () => {
  assert.throws(() => serialize({ doc: { any: "thing" } }), /doc: document members are not supported/);
  assert.throws(() => serialize({ name: 5 }), (e: unknown) => e instanceof StratusError && /name: expected a string/.test(e.message));
  assert.throws(() => serialize({ long: 1.5 }), /long: expected an integer/);
  assert.throws(() => serialize({ names: "a" }), /names: expected an array/);
  assert.throws(() => serialize({ decimal: "1.2.3" }), /decimal: expected a decimal/);
  const cyclic: Record<string, unknown> = {};
  cyclic["nested"] = cyclic;
  assert.throws(() => serialize(cyclic), /nested more than/);
});

test("response: every shape type read back; nulls and unknown fields dropped", () => {
  const parsed = rpcV2CborProtocol.parseResponse({
    service,
    operation,
    response: response({
      name: "n",
      long: 2n ** 60n,
      double: 1.5,
      big: 12,
      decimal: new CborTagged(4, [-2, 27315]),
      when: new Date(1700000000123),
      data: new Uint8Array([1, 2]),
      flag: true,
      names: ["a", null, "b"],
      counts: { x: 0, y: null },
      greeting: { count: 3, __type: "ns#Greeting" },
      nested: { nested: { name: "deep" }, extra: [1, 2, 3] },
      unknown: { whatever: 1 },
      token: null,
    }),
  });
  assert.deepStrictEqual(parsed, {
    name: "n",
    long: 2 ** 60,
    double: 1.5,
    big: 12,
    decimal: 273.15,
    when: new Date(1700000000123),
    data: new Uint8Array([1, 2]),
    flag: true,
    names: ["a", "b"],
    counts: { x: 0 },
    greeting: { count: 3 },
    nested: { nested: { name: "deep" } },
  });
});

test("response: a union member the model does not know comes back as $unknown", () => {
  const parsed = rpcV2CborProtocol.parseResponse({
    service,
    operation,
    response: response({ greeting: { __type: "ns#Greeting", wave: { hand: "left" } } }),
  });
  assert.deepStrictEqual(parsed, { greeting: { $unknown: ["wave", { hand: "left" }] } });
});

test("response: empty bodies, bodies without an output shape, and malformed bodies", () => {
  assert.deepStrictEqual(rpcV2CborProtocol.parseResponse({ service, operation, response: response(new Uint8Array(0)) }), {});
  const noOutput: OperationSchema = { name: "Ping", http: { method: "POST", requestUri: "/" } };
  assert.deepStrictEqual(rpcV2CborProtocol.parseResponse({ service, operation: noOutput, response: response(new Uint8Array([0xff, 0x00])) }), {});
  for (const body of [new Uint8Array([0xbf, 0x61]), encodeCbor([1, 2]), encodeCbor("text")]) {
    assert.throws(() => rpcV2CborProtocol.parseResponse({ service, operation, response: response(body) }), ParseError);
  }
  for (const body of [{ name: 1 }, { names: "a" }, { counts: [1] }, { when: "yesterday" }, { data: "text" }, { greeting: 1 }, { doc: {} }, { decimal: "1" }]) {
    assert.throws(() => rpcV2CborProtocol.parseResponse({ service, operation, response: response(body) }), ParseError, JSON.stringify(body));
  }
});

test("response: map keys named like Object.prototype members stay data", () => {
  const parsed = rpcV2CborProtocol.parseResponse({
    service,
    operation,
    response: response(new Uint8Array(Buffer.from("a1 66 636f756e7473 a2 69 5f5f70726f746f5f5f 01 68 746f537472696e67 02".replace(/ /g, ""), "hex"))),
  }) as { counts: Record<string, unknown> };
  assert.equal(Object.getPrototypeOf(parsed.counts), Object.prototype);
  assert.deepStrictEqual(Object.entries(parsed.counts), [["__proto__", 1], ["toString", 2]]);
  // A structure member is only read from the body's own keys, never from Object.prototype.
  const inherited: StructureShape = { type: "structure", name: "Inherited", members: { toString: { target: string } } };
  const op: OperationSchema = { name: "X", http: { method: "POST", requestUri: "/" }, output: inherited };
  assert.deepStrictEqual(rpcV2CborProtocol.parseResponse({ service, operation: op, response: response({}) }), {});
});

const notFound: StructureShape = {
  type: "structure",
  name: "ResourceNotFound",
  exception: true,
  members: { Message: { target: string }, Resource: { target: string } },
};
const throttled: StructureShape = {
  type: "structure",
  name: "ThrottledException",
  exception: true,
  error: { code: "Throttling", httpStatusCode: 400, senderFault: true },
  members: { message: { target: string } },
};
const failing: OperationSchema = { name: "DoThing", http: { method: "POST", requestUri: "/" }, errors: [notFound, () => throttled] };

test("errors: code from __type (namespace and URI suffix removed), message, request id, fields", () => {
  const error = rpcV2CborProtocol.parseError({
    service,
    operation: failing,
    response: response(
      { __type: "com.example#ResourceNotFound:http://internal.amazon.com/coral/com.example/", Message: "gone", Resource: "r-1", Other: 1 },
      400,
      { "x-amzn-requestid": "req-1" },
    ),
  });
  assert.equal(error.code, "ResourceNotFound");
  assert.equal(error.message, "gone");
  assert.equal(error.requestId, "req-1");
  assert.equal(error.shape, notFound);
  assert.deepStrictEqual(error.fields, { Message: "gone", Resource: "r-1" });
  assert.equal(error.type, undefined);
});

test("errors: unmodelled codes, and bodies that say nothing, fall back to the status code", () => {
  const unmodelled = rpcV2CborProtocol.parseError({ service, operation: failing, response: response({ __type: "ns#Surprise", message: "m" }, 500) });
  assert.deepStrictEqual([unmodelled.code, unmodelled.message, unmodelled.shape, unmodelled.fields], ["Surprise", "m", undefined, {}]);
  for (const body of [new Uint8Array(0), new Uint8Array([0xbf, 0x61]), encodeCbor([1]), encodeCbor({ message: "no type" })]) {
    const error = rpcV2CborProtocol.parseError({ service, operation: failing, response: response(body, 503) });
    assert.equal(error.code, "503");
    assert.equal(error.shape, undefined);
  }
});

test("errors: x-amzn-query-error gives the code and fault for query-compatible services only", () => {
  const headers = { "x-amzn-query-error": "Throttling;Sender" };
  const body = { __type: "com.example#ThrottledException", message: "slow down" };
  const compatible = rpcV2CborProtocol.parseError({ service: queryCompatible, operation: failing, response: response(body, 400, headers) });
  assert.deepStrictEqual([compatible.code, compatible.type, compatible.message, compatible.shape], ["Throttling", "Sender", "slow down", throttled]);
  assert.deepStrictEqual(compatible.fields, { message: "slow down" });

  const plain = rpcV2CborProtocol.parseError({ service, operation: failing, response: response(body, 400, headers) });
  assert.deepStrictEqual([plain.code, plain.type, plain.shape], ["ThrottledException", undefined, throttled]);

  // Without __type, the custom code still finds the modelled shape.
  const codeOnly = rpcV2CborProtocol.parseError({ service: queryCompatible, operation: failing, response: response({ message: "m" }, 400, headers) });
  assert.deepStrictEqual([codeOnly.code, codeOnly.shape], ["Throttling", throttled]);
});
