/**
 * Reading JSON responses (awsJson and restJson1 share the reader): whatever a service or a
 * broken proxy sends, the parsers answer with the output or a ParseError, never a raw
 * SyntaxError, a stack overflow or a hang; and values the model does not know (new enum
 * strings, new union members) reach the caller instead of being dropped.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ParseError } from "../../src/errors/index.ts";
import { jsonProtocol } from "../../src/protocols/json.ts";
import { MAX_NESTING, parseJsonText, readJson } from "../../src/protocols/json/parse.ts";
import type { RawResponse } from "../../src/protocols/protocol.ts";
import { restJsonProtocol } from "../../src/protocols/rest-json.ts";
import type { OperationSchema, ServiceSchema, Shape, StructureShape } from "../../src/schema/types.ts";

const service: ServiceSchema = {
  serviceId: "Test",
  apiVersion: "2020-01-01",
  protocol: "json",
  jsonVersion: "1.1",
  targetPrefix: "Test",
  signingName: "test",
  endpointPrefix: "test",
};

const Str: Shape = { type: "string" };
const Color: Shape = { type: "string", enum: true };
const Long: Shape = { type: "long" };
const Double: Shape = { type: "double" };
const Doc: Shape = { type: "document" };

const Nested: StructureShape = {
  type: "structure",
  name: "Nested",
  members: { Child: { target: () => Nested }, Name: { target: Str } },
};
const Choice: StructureShape = {
  type: "structure",
  name: "Choice",
  union: true,
  members: { Text: { target: Str }, Count: { target: Long } },
};
const ColorMap: Shape = { type: "map", key: { target: Str }, value: { target: Str } };
const Output: StructureShape = {
  type: "structure",
  name: "Output",
  members: {
    Color: { target: Color },
    Big: { target: Long },
    Ratio: { target: Double },
    Doc: { target: Doc },
    Nested: { target: Nested },
    Choice: { target: Choice },
    Map: { target: ColorMap },
  },
};
const operation: OperationSchema = { name: "Get", http: { method: "POST", requestUri: "/" }, output: Output };

function respond(body: string, statusCode = 200): RawResponse {
  return { statusCode, headers: { "content-type": "application/x-amz-json-1.1" }, body: new TextEncoder().encode(body) };
}

function parse(body: string): Record<string, unknown> {
  return jsonProtocol.parseResponse({ service, operation, response: respond(body) });
}

describe("malformed JSON", () => {
  const broken = ['{"Color": "red"', "{]", "nope", '{"Color": "red"}}', "\u0000", '{"a": 1,}'];
  for (const body of broken) {
    it(`answers ParseError for ${JSON.stringify(body)}`, () => {
      assert.throws(() => parse(body), ParseError);
      assert.throws(
        () => restJsonProtocol.parseResponse({ service: { ...service, protocol: "rest-json" }, operation, response: respond(body) }),
        ParseError,
      );
    });
  }

  it("never lets a SyntaxError escape", () => {
    try {
      parseJsonText("{", "awsJson");
      assert.fail("expected a ParseError");
    } catch (error) {
      assert.ok(error instanceof ParseError, String(error));
      assert.ok(!(error instanceof SyntaxError));
      assert.ok(error.cause instanceof SyntaxError, "the SyntaxError is kept as the cause");
    }
  });

  it("answers ParseError when a value has the wrong JSON type", () => {
    assert.throws(() => parse('{"Nested": "not an object"}'), ParseError);
    assert.throws(() => parse('{"Big": "12"}'), ParseError);
    assert.throws(() => parse('{"Map": []}'), ParseError);
    assert.throws(() => parse("[1, 2]"), ParseError);
  });

  it("reads an empty body as an empty output", () => {
    assert.deepEqual(parse(""), {});
    assert.deepEqual(parse("  \n"), {});
  });

  it("parses an error whose body is not JSON (a proxy's HTML page) from the header alone", () => {
    const response: RawResponse = { statusCode: 502, headers: { "x-amzn-errortype": "BadGateway" }, body: new TextEncoder().encode("<html>") };
    const error = restJsonProtocol.parseError({ service: { ...service, protocol: "rest-json" }, operation, response });
    assert.equal(error.code, "BadGateway");
    assert.deepEqual(error.fields, {});
  });
});

describe("deep nesting", () => {
  const LEVELS = 10_000;

  it(`rejects ${LEVELS} levels of a recursive structure with a ParseError, not a stack overflow`, () => {
    const body = `${'{"Child":'.repeat(LEVELS)}{}${"}".repeat(LEVELS)}`;
    assert.throws(() => parse(`{"Nested": ${body}}`), (error: unknown) => {
      assert.ok(error instanceof ParseError);
      assert.match(error.message, /nests deeper/);
      return true;
    });
  });

  it(`still reads recursion up to ${MAX_NESTING} levels`, () => {
    const levels = MAX_NESTING - 2;
    const body = `${'{"Child":'.repeat(levels)}{"Name":"leaf"}${"}".repeat(levels)}`;
    let node = (parse(`{"Nested": ${body}}`) as { Nested: Record<string, unknown> }).Nested;
    for (let i = 0; i < levels; i++) node = node["Child"] as Record<string, unknown>;
    assert.equal(node["Name"], "leaf");
  });

  it(`hands a document ${LEVELS} levels deep to the caller as data`, () => {
    const out = parse(`{"Doc": ${"[".repeat(LEVELS)}${"]".repeat(LEVELS)}}`);
    let depth = 0;
    for (let node = out["Doc"]; Array.isArray(node) && node.length > 0; node = node[0]) depth++;
    assert.equal(depth, LEVELS - 1);
  });

  it(`answers ParseError for ${LEVELS} unclosed brackets`, () => {
    assert.throws(() => parse(`{"Doc": ${"[".repeat(LEVELS)}`), ParseError);
  });
});

describe("very large numbers", () => {
  it("rounds a long beyond 2^53 to the nearest double instead of failing", () => {
    assert.equal(parse('{"Big": 12345678901234567890}')["Big"], 12345678901234567890);
  });

  it("reads a double beyond the float range as Infinity", () => {
    assert.equal(parse('{"Ratio": 1e400}')["Ratio"], Infinity);
    assert.equal(parse(`{"Ratio": -${"9".repeat(400)}}`)["Ratio"], -Infinity);
  });

  it("reads the NaN and Infinity strings of float members as numbers", () => {
    assert.ok(Number.isNaN(parse('{"Ratio": "NaN"}')["Ratio"]));
    assert.equal(parse('{"Ratio": "-Infinity"}')["Ratio"], -Infinity);
    assert.throws(() => parse('{"Ratio": "lots"}'), ParseError);
  });
});

describe("values the model does not know", () => {
  it("passes an unknown enum string through untouched", () => {
    assert.equal(parse('{"Color": "ultraviolet"}')["Color"], "ultraviolet");
  });

  it("keeps an unknown union member as $unknown", () => {
    assert.deepEqual(parse('{"Choice": {"Picture": {"url": "x"}}}')["Choice"], { $unknown: ["Picture", { url: "x" }] });
  });

  it("prefers a known union member and ignores __type", () => {
    assert.deepEqual(parse('{"Choice": {"__type": "ns#Choice", "Later": 1, "Count": 3}}')["Choice"], { Count: 3 });
  });

  it("drops unknown structure fields and nulls", () => {
    assert.deepEqual(parse('{"Color": null, "Extra": {"deep": [1]}, "Big": 1}'), { Big: 1 });
  });

  it('keeps a map key "__proto__" as data, not as a prototype', () => {
    const map = parse('{"Map": {"__proto__": "x", "a": "b"}}')["Map"] as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(map), Object.prototype);
    assert.deepEqual(Object.keys(map).sort(), ["__proto__", "a"]);
  });

  it("does not mistake inherited names for members", () => {
    const shape: StructureShape = { type: "structure", name: "S", members: { constructor: { target: Str } } };
    assert.deepEqual(readJson({}, shape, "awsJson"), {});
  });

  it("reads only the data's own keys, whether they are members or not", () => {
    // The reader walks the keys the data has (not every member): an inherited enumerable
    // key is still no data, and a wire name maps back to its member's name.
    const Renamed: StructureShape = { type: "structure", name: "R", members: { Name: { target: Str, locationName: "name" }, Big: { target: Long } } };
    const data = Object.assign(Object.create({ Big: 5 }) as Record<string, unknown>, { name: "n", Name: "not the wire name", Other: 1 });
    assert.deepEqual(readJson(data, Renamed, "awsJson"), { Name: "n" });
  });
});
