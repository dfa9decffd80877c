// The Stubber's comparison of expected parameters with a call's input: equal by meaning
// (bytes, instants, numbers), ANY for any present value, a path and both values for each
// difference, and nothing shown under a sensitive shape.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Shape, StructureShape } from "../../src/schema/types.ts";
import { ANY } from "../../src/testing/any.ts";
import { differences, show } from "../../src/testing/compare.ts";

const text: Shape = { type: "string" };
const secret: Shape = { type: "string", sensitive: true };
const blob: Shape = { type: "blob" };
const when: Shape = { type: "timestamp" };
const long: Shape = { type: "long" };
const doc: Shape = { type: "document" };

const input: StructureShape = {
  type: "structure",
  name: "Input",
  members: {
    Name: { target: text },
    Password: { target: secret },
    Data: { target: blob },
    At: { target: when },
    Size: { target: long },
    Tags: { target: { type: "list", member: { target: text } } },
    Labels: { target: { type: "map", key: { target: text }, value: { target: text } } },
    Doc: { target: doc },
    Nested: { target: () => input },
  },
};

const messages = (expected: unknown, actual: unknown): string[] => differences(input, expected, actual).map((d) => `${d.path}: ${d.message}`);

test("values equal by meaning compare equal", () => {
  assert.deepEqual(
    messages(
      { Data: "héllo", At: new Date("2030-01-02T03:04:05Z"), Size: 9007199254740993n, Tags: ["a"], Labels: { k: "v" } },
      { Data: new TextEncoder().encode("héllo"), At: 1893553445, Size: 9007199254740993n, Tags: ["a"], Labels: { k: "v" } },
    ),
    [],
  );
  assert.deepEqual(messages({ At: "2030-01-02T03:04:05.000Z", Size: 5 }, { At: new Date("2030-01-02T03:04:05Z"), Size: 5n }), []);
  assert.deepEqual(messages({ Data: new Uint8Array([1, 2]).buffer }, { Data: new DataView(new Uint8Array([1, 2]).buffer) }), []);
  // A member set to undefined or null is the same as one left out.
  assert.deepEqual(messages({ Name: undefined, Tags: null }, {}), []);
});

test("a big number is compared exactly, not through a double", () => {
  assert.deepEqual(messages({ Size: 9007199254740993n }, { Size: 9007199254740992n }), ["input.Size: expected 9007199254740993n, got 9007199254740992n"]);
});

test("a number-like object (DynamoDB's NumberValue) equals the same number in a document", () => {
  class NumberValue {
    readonly value: string;
    constructor(value: string) {
      this.value = value;
    }
    toString(): string {
      return this.value;
    }
  }
  assert.deepEqual(messages({ Doc: { n: new NumberValue("12.50") } }, { Doc: { n: 12.5 } }), []);
  assert.deepEqual(messages({ Doc: { n: new NumberValue("12345678901234567890") } }, { Doc: { n: 12345678901234567890n } }), []);
  assert.deepEqual(messages({ Doc: { n: new NumberValue("1") } }, { Doc: { n: 2 } }), ["input.Doc.n: expected NumberValue(1), got 2"]);
});

test("ANY matches any present value, of any shape, but not an absent one", () => {
  assert.deepEqual(messages({ Name: ANY, Nested: ANY, Tags: [ANY, "b"] }, { Name: "x", Nested: { Name: "y" }, Tags: ["a", "b"] }), []);
  assert.deepEqual(messages({ Name: ANY }, {}), ["input.Name: expected any value, got nothing (the member is absent)"]);
});

test("each difference has its path and both values; list lengths are reported with the extra items", () => {
  assert.deepEqual(
    messages(
      { Name: "a", Tags: ["x", "y"], Labels: { "my key": "1" }, Nested: { Nested: { Size: 1 } }, At: new Date(0) },
      { Name: "b", Tags: ["x", "z", "extra"], Labels: { "my key": "2" }, Nested: { Nested: { Size: 2 } }, At: new Date(1000) },
    ),
    [
      'input.Name: expected "a", got "b"',
      'input.Tags[1]: expected "y", got "z"',
      'input.Tags: expected 2 items, got 3 (extra: "extra")',
      'input.Labels["my key"]: expected "1", got "2"',
      "input.Nested.Nested.Size: expected 1, got 2",
      "input.At: expected Date(1970-01-01T00:00:00.000Z), got Date(1970-01-01T00:00:01.000Z)",
    ],
  );
  assert.deepEqual(messages({ Data: "abc" }, { Data: new Uint8Array([0, 255, 1]) }), ['input.Data: expected "abc", got <3 bytes>']);
});

test("values under a sensitive shape are never shown", () => {
  assert.deepEqual(messages({ Password: "hunter2-expected" }, { Password: "hunter2-actual" }), ["input.Password: the values differ (not shown: the member is sensitive)"]);
  assert.deepEqual(messages({ Password: "hunter2-expected" }, {}), ["input.Password: expected (sensitive), got nothing (the member is absent)"]);
});

test("long values are cut short in messages", () => {
  const shown = show("x".repeat(500), false);
  assert.ok(shown.length <= 80 && shown.endsWith("…"), shown);
  assert.equal(show(new Uint8Array(1000), false), "<1000 bytes>");
});
