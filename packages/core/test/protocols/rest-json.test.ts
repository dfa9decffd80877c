/**
 * restJson1 bodies beyond the conformance suites: raw payloads (bytes stay bytes, a
 * caller's Content-Type wins), the refusal of a wrong payload type, and responses whose
 * body is not what the model says (ParseError, while error responses stay readable).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ParseError, StratusError } from "../../src/errors/index.ts";
import type { Endpoint, RawResponse } from "../../src/protocols/protocol.ts";
import { restJsonProtocol } from "../../src/protocols/rest-json.ts";
import type { OperationSchema, ServiceSchema, StructureShape } from "../../src/schema/types.ts";

const service: ServiceSchema = { serviceId: "T", apiVersion: "1", protocol: "rest-json", signingName: "t", endpointPrefix: "t" };
const endpoint: Endpoint = { protocol: "https:", hostname: "t.example.com", path: "" };

const Upload: StructureShape = {
  type: "structure",
  name: "Upload",
  payload: "Data",
  members: {
    Name: { target: { type: "string" }, location: "uri", locationName: "Name" },
    Type: { target: { type: "string" }, location: "header", locationName: "Content-Type" },
    Data: { target: { type: "blob" } },
  },
};
const Text: StructureShape = { type: "structure", name: "Text", payload: "Body", members: { Body: { target: { type: "string" } } } };
const Thing: StructureShape = { type: "structure", name: "Thing", members: { Size: { target: { type: "integer" } } } };
const Oops: StructureShape = {
  type: "structure",
  name: "Oops",
  exception: true,
  members: { Reason: { target: { type: "string" } }, Id: { target: { type: "string" }, location: "header", locationName: "x-id" } },
};

const put: OperationSchema = { name: "Put", http: { method: "PUT", requestUri: "/things/{Name}" }, input: Upload };
const get: OperationSchema = { name: "Get", http: { method: "GET", requestUri: "/thing" }, output: Thing, errors: [Oops] };

function response(body: string, headers: Record<string, string> = {}, statusCode = 200): RawResponse {
  return { statusCode, headers, body: new TextEncoder().encode(body) };
}

describe("restJson1 payloads", () => {
  it("sends a blob payload as the raw bytes, keeping the caller's Content-Type", () => {
    const bytes = new Uint8Array([0, 255, 10]);
    const request = restJsonProtocol.serializeRequest({ service, operation: put, input: { Name: "a b", Type: "image/png", Data: bytes }, endpoint });
    assert.equal(request.path, "/things/a%20b");
    assert.equal(request.body, bytes);
    assert.equal(request.headers["content-type"], "image/png");
    assert.equal(request.headers["content-length"], "3");
  });

  it("refuses a string payload that is not a string", () => {
    const operation: OperationSchema = { name: "Say", http: { method: "POST", requestUri: "/say" }, input: Text };
    assert.throws(() => restJsonProtocol.serializeRequest({ service, operation, input: { Body: 5 }, endpoint }), StratusError);
  });

  it("answers ParseError when a success body is not JSON or not the modelled type", () => {
    assert.throws(() => restJsonProtocol.parseResponse({ service, operation: get, response: response("<html>") }), ParseError);
    assert.throws(() => restJsonProtocol.parseResponse({ service, operation: get, response: response('{"Size": "big"}') }), ParseError);
  });

  it("reads an error's members from the body and the headers", () => {
    const error = restJsonProtocol.parseError({
      service,
      operation: get,
      response: response('{"Reason": "no", "message": "Nope"}', { "x-amzn-errortype": "Oops:http://internal/", "x-id": "42" }, 400),
    });
    assert.equal(error.code, "Oops");
    assert.equal(error.message, "Nope");
    assert.equal(error.shape, Oops);
    assert.deepEqual(error.fields, { Id: "42", Reason: "no" });
  });
});
