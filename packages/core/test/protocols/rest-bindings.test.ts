/**
 * The REST HTTP bindings shared by restJson1 and restXml, on the corners the conformance
 * suites leave out: label escaping of reserved characters, greedy labels, the literal
 * query of a requestUri, header list splitting with quotes and dates, and the refusals
 * (a missing label, a structure in a header).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ParseError, StratusError } from "../../src/errors/index.ts";
import type { Endpoint, RawResponse } from "../../src/protocols/protocol.ts";
import { parseRestBindings, serializeRestBindings, splitHeaderList } from "../../src/protocols/rest/bindings.ts";
import type { OperationSchema, ServiceSchema, Shape, StructureShape } from "../../src/schema/types.ts";

const service: ServiceSchema = { serviceId: "T", apiVersion: "1", protocol: "rest-json", signingName: "t", endpointPrefix: "t" };
const endpoint: Endpoint = { protocol: "https:", hostname: "t.example.com", path: "/base" };
const Str: Shape = { type: "string" };
const StrList: Shape = { type: "list", member: { target: Str } };
const Stamps: Shape = { type: "list", member: { target: { type: "timestamp" } } };

const Input: StructureShape = {
  type: "structure",
  name: "Input",
  members: {
    Bucket: { target: Str, location: "uri", locationName: "Bucket" },
    Key: { target: Str, location: "uri", locationName: "Key" },
    Since: { target: { type: "timestamp" }, location: "querystring", locationName: "since" },
    Tags: { target: StrList, location: "querystring", locationName: "tag" },
    Names: { target: StrList, location: "header", locationName: "X-Names" },
    Meta: { target: { type: "map", key: { target: Str }, value: { target: Str } }, location: "headers", locationName: "x-meta-" },
    Token: { target: Str, location: "querystring", locationName: "token", idempotencyToken: true },
    Body: { target: Str },
  },
};

function request(input: Record<string, unknown>, requestUri = "/{Bucket}/{Key+}?x-id=Put") {
  const operation: OperationSchema = { name: "Put", http: { method: "PUT", requestUri }, input: Input };
  return serializeRestBindings({ service, operation, input, endpoint, idempotencyToken: () => "tok" });
}

describe("REST request bindings", () => {
  it("escapes a label fully and a greedy label segment by segment, under the endpoint's base path", () => {
    const { request: r } = request({ Bucket: "a b/c", Key: "dir/sub dir/ü+~.txt" });
    assert.equal(r.path, "/base/a%20b%2Fc/dir/sub%20dir/%C3%BC%2B~.txt");
  });

  it("keeps the requestUri's literal query and adds bound parameters, decoded", () => {
    const { request: r } = request({ Bucket: "b", Key: "k", Since: new Date(0), Tags: ["x", "y,z"] });
    assert.deepEqual(r.query, [["x-id", "Put"], ["since", "1970-01-01T00:00:00Z"], ["tag", "x"], ["tag", "y,z"], ["token", "tok"]]);
  });

  it("joins header lists, quoting strings that hold a comma or a quote", () => {
    const { request: r } = request({ Bucket: "b", Key: "k", Names: ["plain", "a,b", 'say "hi"'] });
    assert.equal(r.headers["x-names"], 'plain, "a,b", "say \\"hi\\""');
  });

  it("writes prefix headers in lower case and leaves the body members to the protocol", () => {
    const parts = request({ Bucket: "b", Key: "k", Meta: { Color: "red" }, Body: "x" });
    assert.equal(parts.request.headers["x-meta-color"], "red");
    assert.equal(parts.request.body, undefined);
    assert.deepEqual(parts.bodyMembers.map((m) => m.name), ["Body"]);
    assert.equal(parts.input["Token"], "tok");
  });

  it("refuses a missing label and a value that cannot be text", () => {
    assert.throws(() => request({ Bucket: "b" }), /URI label Key/);
    assert.throws(() => request({ Bucket: "b", Key: "k", Names: "not a list" }), StratusError);
  });
});

describe("REST response bindings", () => {
  const Output: StructureShape = {
    type: "structure",
    name: "Output",
    members: {
      Names: { target: StrList, location: "header", locationName: "X-Names" },
      Dates: { target: Stamps, location: "header", locationName: "X-Dates" },
      Count: { target: { type: "integer" }, location: "header", locationName: "X-Count" },
      Meta: { target: { type: "map", key: { target: Str }, value: { target: Str } }, location: "headers", locationName: "x-meta-" },
      Status: { target: { type: "integer" }, location: "statusCode" },
    },
  };
  const response = (headers: Record<string, string>): RawResponse => ({ statusCode: 201, headers, body: new Uint8Array() });

  it("reads lists, dates, numbers, prefix headers and the status", () => {
    const out = parseRestBindings(Output, response({
      "x-names": 'plain, "a,b", "say \\"hi\\""',
      "x-dates": "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 00:00:00 GMT",
      "x-count": "42",
      "x-meta-color": "red",
    }), "restJson1");
    assert.deepEqual(out, {
      Names: ["plain", "a,b", 'say "hi"'],
      Dates: [new Date("2019-12-16T23:48:18Z"), new Date("2019-12-17T00:00:00Z")],
      Count: 42,
      Meta: { color: "red" },
      Status: 201,
    });
  });

  it("answers ParseError for a header that does not hold its type", () => {
    assert.throws(() => parseRestBindings(Output, response({ "x-count": "many" }), "restJson1"), ParseError);
  });

  it("splits list headers as HTTP does", () => {
    assert.deepEqual(splitHeaderList(""), []);
    assert.deepEqual(splitHeaderList(" a ,b,, c"), ["a", "b", "", "c"]);
    assert.deepEqual(splitHeaderList('" spaced ", x'), [" spaced ", "x"]);
  });
});
