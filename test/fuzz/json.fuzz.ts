/**
 * JSON: the text reader (json/parse.ts `parseJsonText`), the shape-driven reader behind
 * awsJson and restJson1, the error identification both share, and restJson1's header
 * bindings. Allowed outcome for any body or header: a value or a `ParseError`; `parseError`
 * may also give its ParsedError for anything at all, since an unreadable error body is
 * still an error answer.
 *
 * - arbitrary text and bytes; arbitrary JSON values read as DynamoDB's GetItem / Query
 *   outputs (wrong types everywhere)
 * - round trips: GetItem and Query answers written from random values (recursive
 *   AttributeValues, "__proto__" map keys, NaN/Infinity doubles) parse to those values
 * - mutations of those answers
 * - error answers: random bodies and X-Amzn-ErrorType headers
 * - corpus: 10k / 100k levels of nesting (as plain JSON and as nested AttributeValues),
 *   huge numbers, a long string
 *
 * Numbers, as the v3 SDK decides (its expectInt/expectLong): an integer member must hold
 * an integer; 1.5, 1e400 (Infinity) or "12" is a ParseError; beyond 2^53 an integer rounds
 * as JSON.parse rounds it. A double member takes any number, Infinity from 1e400 included,
 * and the strings "NaN", "Infinity", "-Infinity".
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ParseError } from "../../packages/core/src/errors/index.ts";
import { jsonProtocol } from "../../packages/core/src/protocols/json.ts";
import { parseJsonText } from "../../packages/core/src/protocols/json/parse.ts";
import type { RawResponse } from "../../packages/core/src/protocols/protocol.ts";
import { restJsonProtocol } from "../../packages/core/src/protocols/rest-json.ts";
import { resolveShape } from "../../packages/core/src/schema/normalize.ts";
import type { OperationSchema, StructureShape } from "../../packages/core/src/schema/types.ts";
import * as dynamodb from "../../packages/dynamodb/src/generated/schema.ts";
import * as lambda from "../../packages/lambda/src/generated/schema.ts";
import { fuzzFamily, outcome } from "./property.ts";
import { mutatedBytes, mutatedText, utf8 } from "./support/mutate.ts";
import { valueOf } from "./support/shape-values.ts";
import { jsonDocument } from "./support/writers.ts";

const JSON_TOKENS = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "null", "true", "1e400", "-0", "1.5", "123456789012345678901234567890", "NaN", "\"__proto__\"", "\"__type\""];

const response = (body: Uint8Array | string, statusCode = 200, headers: Record<string, string> = {}): RawResponse => ({
  statusCode,
  headers,
  body: typeof body === "string" ? utf8.encode(body) : body,
});

function outputOf(operation: OperationSchema): StructureShape {
  if (!operation.output) throw new Error(`${operation.name} has no output`);
  return resolveShape(operation.output);
}

const OPERATIONS = [dynamodb.GetItem, dynamodb.Query];

const parse = (operation: OperationSchema, body: Uint8Array | string) =>
  jsonProtocol.parseResponse({ service: dynamodb.service, operation, response: response(body) });

function answers(operation: OperationSchema): fc.Arbitrary<{ value: unknown; text: string }> {
  const shape = outputOf(operation);
  return valueOf(shape, { text: fc.string({ unit: "binary", maxLength: 12 }), mode: "output", maxDepth: 5 }).map((value) => ({ value, text: jsonDocument(shape, value) }));
}

/** `depth` AttributeValue lists inside each other, as GetItem's Item. */
function nestedItem(depth: number): string {
  return `{"Item":{"a":${'{"L":['.repeat(depth)}{"S":"x"}${"]}".repeat(depth)}}}`;
}

fuzzFamily("json", (family) => {
  family.property("arbitrary text is data or a ParseError", 800, fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
    outcome(() => parseJsonText(text, "fuzz"), [ParseError]);
  }));

  family.property("arbitrary bytes as a GetItem answer are a value or a ParseError", 500, fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
    outcome(() => parse(dynamodb.GetItem, bytes), [ParseError]);
  }));

  for (const operation of OPERATIONS) {
    family.property(`DynamoDB ${operation.name}: any JSON value is a value or a ParseError`, 600, fc.property(
      fc.oneof(fc.jsonValue({ maxDepth: 5 }), fc.dictionary(fc.constantFrom("Item", "Items", "Count", "ConsumedCapacity", "LastEvaluatedKey"), fc.jsonValue({ maxDepth: 4 }))),
      (data) => {
        outcome(() => parse(operation, JSON.stringify(data) ?? ""), [ParseError]);
      },
    ));

    family.property(`DynamoDB ${operation.name}: a written answer parses to its values`, 300, fc.property(answers(operation), ({ value, text }) => {
      assert.deepStrictEqual(parse(operation, text), value);
    }));

    family.property(`DynamoDB ${operation.name}: a mutated answer is a value or a ParseError`, 500, fc.property(mutatedText(answers(operation).map((a) => a.text), JSON_TOKENS), (text) => {
      outcome(() => parse(operation, text), [ParseError]);
    }));
  }

  family.property("DynamoDB GetItem: a mutated answer as bytes is a value or a ParseError", 300, fc.property(
    mutatedBytes(answers(dynamodb.GetItem).map((a) => utf8.encode(a.text))),
    (bytes) => {
      outcome(() => parse(dynamodb.GetItem, bytes), [ParseError]);
    },
  ));

  family.property("an error answer is a ParsedError (or a ParseError), whatever its body and type header", 600, fc.property(
    fc.oneof(fc.string({ unit: "binary", maxLength: 80 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ""),
      fc.record({ __type: fc.string(), message: fc.jsonValue({ maxDepth: 2 }), Item: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v))),
    fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("ConditionalCheckFailedException", "aws.dynamodb#ConditionalCheckFailedException:http://x", ":", "#", "ResourceNotFoundException"))),
    fc.integer({ min: 300, max: 599 }),
    (body, type, status) => {
      const headers: Record<string, string> = type === null ? {} : { "x-amzn-errortype": type };
      const result = outcome(() => jsonProtocol.parseError({ service: dynamodb.service, operation: dynamodb.PutItem, response: response(body, status, headers) }), [ParseError]);
      if (result.ok) assert.equal(typeof result.value.code, "string");
    },
  ));

  // restJson1: every header-bound member of Lambda's Invoke output with random header text.
  const invokeHeaders = fc.record(
    {
      "x-amz-function-error": fc.string({ maxLength: 20 }),
      "x-amz-log-result": fc.oneof(fc.string({ maxLength: 20 }), fc.base64String({ maxLength: 20 })),
      "x-amz-executed-version": fc.string({ maxLength: 20 }),
    },
    { requiredKeys: [] },
  );
  family.property("restJson1 Lambda Invoke: random headers and status are a value or a ParseError", 300, fc.property(
    invokeHeaders,
    fc.integer({ min: 200, max: 299 }),
    fc.uint8Array({ maxLength: 40 }),
    (headers, status, body) => {
      outcome(() => restJsonProtocol.parseResponse({ service: lambda.service, operation: lambda.Invoke, response: response(body, status, headers) }), [ParseError]);
    },
  ));

  // ---- corpus ----

  for (const levels of [10_000, 100_000]) {
    family.corpus(`${levels} levels of plain JSON nesting: a ParseError or plain data, no stack overflow`, () => {
      outcome(() => parseJsonText("[".repeat(levels) + "]".repeat(levels), "fuzz"), [ParseError]);
      assert.throws(() => parse(dynamodb.GetItem, `{"Item":{"a":${'{"M":{"a":'.repeat(levels)}{"S":"x"}${"}}".repeat(levels)}}}`), ParseError);
    });
    family.corpus(`${levels} levels of nested AttributeValues are a ParseError`, () => {
      assert.throws(() => parse(dynamodb.GetItem, nestedItem(levels)), ParseError);
    });
  }

  family.corpus("integers: 1e400, 1.5 and a string are ParseErrors; 2^100 rounds", () => {
    for (const count of ["1e400", "-1e400", "1.5", "\"12\""]) {
      assert.throws(() => parse(dynamodb.Query, `{"Count":${count}}`), ParseError, count);
    }
    assert.deepEqual(parse(dynamodb.Query, '{"Count":123456789012345678901234567890}'), { Count: 123456789012345678901234567890 });
  });

  family.corpus("doubles: 1e400 is Infinity, \"NaN\" is NaN, a digit string is a ParseError", () => {
    assert.deepEqual(parse(dynamodb.GetItem, '{"ConsumedCapacity":{"CapacityUnits":1e400}}'), { ConsumedCapacity: { CapacityUnits: Infinity } });
    assert.deepEqual(parse(dynamodb.GetItem, '{"ConsumedCapacity":{"CapacityUnits":"NaN"}}'), { ConsumedCapacity: { CapacityUnits: NaN } });
    assert.throws(() => parse(dynamodb.GetItem, '{"ConsumedCapacity":{"CapacityUnits":"12"}}'), ParseError);
  });

  family.corpus("a DynamoDB N value keeps all its digits (it is a string)", () => {
    const digits = `1${"0".repeat(400)}`;
    assert.deepEqual(parse(dynamodb.GetItem, `{"Item":{"n":{"N":"${digits}"}}}`), { Item: { n: { N: digits } } });
  });

  family.corpus("a 1 MB string reads whole", () => {
    const text = "x".repeat(1 << 20);
    assert.deepEqual(parse(dynamodb.GetItem, `{"Item":{"s":{"S":"${text}"}}}`), { Item: { s: { S: text } } });
  });

  family.corpus("\"__proto__\" keys stay data", () => {
    const parsed = parse(dynamodb.GetItem, '{"Item":{"__proto__":{"S":"x"},"constructor":{"BOOL":true}}}');
    const item = parsed["Item"] as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(item), Object.prototype);
    assert.deepEqual(Object.keys(item), ["__proto__", "constructor"]);
  });
});
