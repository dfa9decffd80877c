/**
 * CBOR: the decoder (cbor/decode.ts) and the smithy-rpc-v2-cbor reader behind it. Allowed
 * outcome for any body: a value or a `ParseError`.
 *
 * - arbitrary bytes, and "head soup": sequences of well-formed-looking heads (every major
 *   type and additional-information value, with and without their argument bytes), breaks
 *   and short payloads, which reach far deeper into the decoder than random bytes do
 * - round trips: any CBOR-able value through encodeCbor → decodeCbor; CloudWatch
 *   GetMetricData answers (lists of structures, timestamps as tag 1, doubles) through the
 *   protocol
 * - mutations (bit flips, truncations, inserted bytes) of those answers, as results and
 *   as error answers
 * - corpus: 10k levels of arrays, maps, tags and indefinite-length items; lengths that
 *   claim far more than the input; integers and bignums too big for their member
 *
 * Numbers: an integer member takes any CBOR integer (a 64-bit one beyond 2^53 rounds to
 * the nearest double, as in the JSON protocols) or an integral float, since the Smithy
 * spec lets a sender pick the encoding; a fraction, NaN or ±Infinity, or a bignum beyond a
 * double's range, is a ParseError, never a silent non-integer.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ParseError } from "../../packages/core/src/errors/index.ts";
import { decodeCbor } from "../../packages/core/src/protocols/cbor/decode.ts";
import { encodeCbor } from "../../packages/core/src/protocols/cbor/encode.ts";
import type { RawResponse } from "../../packages/core/src/protocols/protocol.ts";
import { rpcV2CborProtocol } from "../../packages/core/src/protocols/rpc-v2-cbor.ts";
import { resolveShape } from "../../packages/core/src/schema/normalize.ts";
import type { OperationSchema, StructureShape } from "../../packages/core/src/schema/types.ts";
import * as cloudwatch from "../../packages/cloudwatch/src/generated/schema.ts";
import { fuzzFamily, outcome } from "./property.ts";
import { concat, mutatedBytes } from "./support/mutate.ts";
import { valueOf } from "./support/shape-values.ts";

const response = (body: Uint8Array, statusCode = 200, headers: Record<string, string> = {}): RawResponse => ({ statusCode, headers, body });

function outputOf(operation: OperationSchema): StructureShape {
  if (!operation.output) throw new Error(`${operation.name} has no output`);
  return resolveShape(operation.output);
}

const parse = (operation: OperationSchema, body: Uint8Array) =>
  rpcV2CborProtocol.parseResponse({ service: cloudwatch.service, operation, response: response(body) });

/** One head with a random major type and additional information, its argument bytes maybe cut short. */
const head = fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 31 }), fc.uint8Array({ maxLength: 8 })).map(([major, info, rest]) =>
  concat(Uint8Array.of((major << 5) | info), rest),
);
const headSoup = fc
  .array(fc.oneof({ weight: 6, arbitrary: head }, { weight: 1, arbitrary: fc.constant(Uint8Array.of(0xff)) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4 }) }), { maxLength: 24 })
  .map((parts) => concat(...parts));

/** Values the encoder writes and the decoder gives back unchanged. */
const cborValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double().filter((n) => !Number.isInteger(n) || Object.is(n, -0)),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }).filter((n) => n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: "binary", maxLength: 40 }), tie("value"), { maxKeys: 5, noNullPrototype: true }),
  ),
})).value;

const metricAnswers = valueOf(outputOf(cloudwatch.GetMetricData), { text: fc.string({ unit: "binary", maxLength: 12 }), mode: "output", maxDepth: 4 }).map((value) => ({
  value,
  bytes: encodeCbor(value),
}));

fuzzFamily("cbor", (family) => {
  family.property("arbitrary bytes are data or a ParseError", 1500, fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
    outcome(() => decodeCbor(bytes), [ParseError]);
  }));

  family.property("head soup is data or a ParseError", 2000, fc.property(headSoup, (bytes) => {
    outcome(() => decodeCbor(bytes), [ParseError]);
  }));

  family.property("head soup as a GetMetricData answer is a value or a ParseError", 1000, fc.property(headSoup, (bytes) => {
    outcome(() => parse(cloudwatch.GetMetricData, bytes), [ParseError]);
  }));

  family.property("encode then decode gives the value back", 600, fc.property(cborValue, (value) => {
    assert.deepStrictEqual(decodeCbor(encodeCbor(value)), value);
  }));

  family.property("CloudWatch GetMetricData: an encoded answer parses to its values", 300, fc.property(metricAnswers, ({ value, bytes }) => {
    assert.deepStrictEqual(parse(cloudwatch.GetMetricData, bytes), value);
  }));

  family.property("CloudWatch GetMetricData: a mutated answer is a value or a ParseError", 800, fc.property(mutatedBytes(metricAnswers.map((a) => a.bytes)), (bytes) => {
    outcome(() => parse(cloudwatch.GetMetricData, bytes), [ParseError]);
  }));

  const errorBodies = fc
    .record(
      {
        __type: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("com.amazonaws.cloudwatch#InvalidParameterValueException", "InvalidNextToken", "#", ":", "a#b:c"), fc.integer()),
        message: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null)),
        Message: fc.string({ maxLength: 30 }),
      },
      { requiredKeys: [], noNullPrototype: true },
    )
    .map((body) => encodeCbor(body));
  family.property("an error answer, mutated or not, is a ParsedError or a ParseError", 800, fc.property(
    fc.oneof(errorBodies, mutatedBytes(errorBodies), fc.uint8Array({ maxLength: 40 })),
    fc.option(fc.string({ maxLength: 30 })),
    (bytes, queryError) => {
      const headers: Record<string, string> = queryError === null ? {} : { "x-amzn-query-error": queryError };
      const result = outcome(() => rpcV2CborProtocol.parseError({ service: cloudwatch.service, operation: cloudwatch.GetMetricData, response: response(bytes, 400, headers) }), [ParseError]);
      if (result.ok) assert.equal(typeof result.value.code, "string");
    },
  ));

  // ---- corpus ----

  const repeat = (byte: number, count: number, last: number[]): Uint8Array => concat(new Uint8Array(count).fill(byte), Uint8Array.from(last));
  for (const [what, bytes] of [
    ["arrays", repeat(0x81, 10_000, [0x00])],
    ["maps", concat(...Array.from({ length: 10_000 }, () => Uint8Array.of(0xa1, 0x61, 0x61)), Uint8Array.of(0x00))],
    ["tags", repeat(0xc6, 10_000, [0x00])],
    ["indefinite arrays", repeat(0x9f, 10_000, [])],
  ] as const) {
    family.corpus(`10000 levels of ${what} are a ParseError`, () => {
      assert.throws(() => decodeCbor(bytes), ParseError);
      assert.throws(() => parse(cloudwatch.GetMetricData, bytes), ParseError);
    });
  }

  family.corpus("a 1 MB text string and a 1 MB byte string read whole", () => {
    const text = "é".repeat(1 << 19);
    const bytes = new Uint8Array(1 << 20).fill(7);
    assert.deepStrictEqual(decodeCbor(encodeCbor({ text, bytes })), { text, bytes });
  });

  family.corpus("lengths that claim more than the input are ParseErrors, at once", () => {
    for (const bytes of [
      Uint8Array.of(0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), // byte string of 2^64 - 1
      Uint8Array.of(0x7a, 0xff, 0xff, 0xff, 0xff, 0x61), // text of 2^32 - 1
      Uint8Array.of(0x9b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00), // array of 2^32
      Uint8Array.of(0xba, 0x7f, 0xff, 0xff, 0xff), // map of 2^31 - 1 pairs
    ]) {
      assert.throws(() => decodeCbor(bytes), ParseError);
    }
  });

  family.corpus("an integer member refuses a fraction, NaN, Infinity and an overflowing bignum", () => {
    const statistics = (value: unknown) =>
      rpcV2CborProtocol.parseResponse({ service: cloudwatch.service, operation: cloudwatch.DescribeAlarms, response: response(encodeCbor({ MetricAlarms: [{ EvaluationPeriods: value }] })) });
    for (const bad of [1.5, NaN, Infinity, -Infinity, 2n ** 1100n]) {
      assert.throws(() => statistics(bad), ParseError, String(bad));
    }
    assert.deepEqual(statistics(2n ** 64n - 1n), { MetricAlarms: [{ EvaluationPeriods: 18446744073709551615 }] });
    assert.deepEqual(statistics(3), { MetricAlarms: [{ EvaluationPeriods: 3 }] });
    assert.deepEqual(statistics(3.0), { MetricAlarms: [{ EvaluationPeriods: 3 }] });
  });

  family.corpus("a double member takes a float16 Infinity and a huge bignum as Infinity", () => {
    const values = (bytes: Uint8Array) => parse(cloudwatch.GetMetricData, bytes);
    // { "MetricDataResults": [ { "Values": [ +Infinity (float16) ] } ] }
    const infinity = concat(Uint8Array.of(0xa1, 0x71), new TextEncoder().encode("MetricDataResults"), Uint8Array.of(0x81, 0xa1, 0x66), new TextEncoder().encode("Values"), Uint8Array.of(0x81, 0xf9, 0x7c, 0x00));
    assert.deepEqual(values(infinity), { MetricDataResults: [{ Values: [Infinity] }] });
    assert.deepEqual(values(encodeCbor({ MetricDataResults: [{ Values: [2n ** 1100n] }] })), { MetricDataResults: [{ Values: [Infinity] }] });
  });
});
