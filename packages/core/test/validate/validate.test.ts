// Input validation: each shape's rule, bounds from the model, unknown members with a
// suggestion, required members at any depth, unions, URI and host labels, paths as the
// caller wrote them, and values never echoed. Real input shapes from STS, DynamoDB and S3
// plus small hand-made shapes for the rules those models do not exercise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../../src/errors/index.ts";
import { schemaFromBotocore, type BotocoreModel } from "../../src/schema/from-botocore.ts";
import { resolveShape } from "../../src/schema/normalize.ts";
import type { StructureShape } from "../../src/schema/types.ts";
import { validateInput } from "../../src/validate/validate.ts";

const MODELS = join(import.meta.dirname, "..", "..", "..", "..", "..", "shared", "models");

function inputOf(service: string, version: string, operation: string): StructureShape {
  const model = JSON.parse(readFileSync(join(MODELS, service, version, "service-2.json"), "utf8")) as BotocoreModel;
  const op = schemaFromBotocore(model).operations[operation];
  if (!op?.input) throw new Error(`no input for ${operation}`);
  return resolveShape(op.input);
}

const assumeRole = inputOf("sts", "2011-06-15", "AssumeRole");
const putItem = inputOf("dynamodb", "2012-08-10", "PutItem");
const getObject = inputOf("s3", "2006-03-01", "GetObject");

function paths(structure: StructureShape, input: unknown): string[] {
  return validateInput(structure, input).map((p) => `${p.path}: ${p.message}`);
}

test("a valid input has no problems", () => {
  assert.deepEqual(paths(assumeRole, { RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "s1", DurationSeconds: 3600, Tags: [{ Key: "k", Value: "v" }] }), []);
  assert.deepEqual(paths(putItem, { TableName: "t", Item: { id: { S: "1" }, n: { N: "2" }, b: { B: new Uint8Array([1]) }, l: { L: [{ NULL: true }] } } }), []);
  assert.deepEqual(paths(getObject, { Bucket: "b", Key: "k", IfModifiedSince: new Date(), PartNumber: 1 }), []);
});

test("every problem is reported at once, with the caller's paths", () => {
  const problems = paths(putItem, {
    TableName: "",
    Item: { name: { S: 5 }, "odd key": { N: 1 }, list: { L: [{ S: "ok" }, { BOOL: "yes" }] } },
    ReturnValue: "ALL_OLD",
    Expected: "nope",
  });
  assert.deepEqual(problems.sort(), [
    "input.Expected: expected a map (plain object), got a string",
    "input.Item.list.L[1].BOOL: expected a boolean, got a string",
    "input.Item.name.S: expected a string, got a number",
    'input.Item["odd key"].N: expected a string, got a number',
    "input.ReturnValue: unknown member of PutItemInput (did you mean ReturnValues?)",
    "input.TableName: length 0 characters is below the minimum 1",
  ]);
});

test("required members are checked at every depth; null counts as missing", () => {
  assert.deepEqual(paths(assumeRole, { RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: null, Tags: [{ Value: "v" }] }), [
    "input.RoleSessionName: required member is missing",
    "input.Tags[0].Key: required member is missing",
  ]);
  assert.deepEqual(paths(assumeRole, "not an object"), ["input: expected an object (AssumeRoleRequest), got a string"]);
});

test("bounds from the model: string length, number range, list size", () => {
  const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
  assert.deepEqual(paths(assumeRole, { RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "s", DurationSeconds: 60, Tags: tags }), [
    "input.RoleSessionName: length 1 characters is below the minimum 2",
    "input.DurationSeconds: 60 is below the minimum 900",
    "input.Tags: has 51 items, more than the maximum 50",
  ]);
  assert.deepEqual(paths(assumeRole, { RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "s".repeat(65), DurationSeconds: 900.5 }), [
    "input.RoleSessionName: length 65 characters is above the maximum 64",
    "input.DurationSeconds: expected a whole number (integer), got 900.5",
  ]);
  // Length counts characters, not UTF-16 units: two emoji are two characters.
  assert.deepEqual(paths(assumeRole, { RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "😀😀" }), []);
});

const str = { type: "string" } as const;
const union: StructureShape = {
  type: "structure",
  name: "Choice",
  union: true,
  members: { A: { target: str }, B: { target: { type: "integer" } } },
};
const everything: StructureShape = {
  type: "structure",
  name: "Everything",
  required: ["Nested"],
  members: {
    Label: { target: str, location: "uri", locationName: "Label" },
    Host: { target: str, hostLabel: true },
    When: { target: { type: "timestamp" } },
    Data: { target: { type: "blob", min: 2, max: 4 } },
    Flag: { target: { type: "boolean" } },
    Ratio: { target: { type: "double", min: 0, max: 1 } },
    Big: { target: { type: "long" } },
    Secret: { target: { type: "integer", max: 10, sensitive: true } },
    Doc: { target: { type: "document" } },
    Json: { target: { type: "string", jsonvalue: true } },
    Pick: { target: union },
    Map: { target: { type: "map", key: { target: { type: "string", min: 2 } }, value: { target: str }, max: 1 } },
    Nested: { target: () => everything },
  },
};

test("scalars: timestamps, bytes, booleans, numbers (bigint too), documents and jsonvalue strings", () => {
  const ok = { Nested: { Nested: undefined } } as Record<string, unknown>;
  assert.deepEqual(paths(everything, { ...ok, When: "2024-01-02T03:04:05Z", Data: "abc", Flag: false, Ratio: Number.NaN, Big: 2n ** 62n, Doc: { any: ["thing"] }, Json: { a: 1 } }).filter((p) => !p.startsWith("input.Nested")), []);
  assert.deepEqual(paths(everything, { ...ok, When: 1.7e9, Data: new Uint8Array(3).buffer }).filter((p) => !p.startsWith("input.Nested")), []);
  const problems = paths(everything, { ...ok, When: "yesterday", Data: [1, 2], Flag: "true", Ratio: 2, Big: 1.5 }).filter((p) => !p.startsWith("input.Nested"));
  assert.deepEqual(problems, [
    "input.When: expected a timestamp (a valid Date, epoch seconds or an ISO-8601 string), got a string",
    "input.Data: expected bytes (Uint8Array, ArrayBuffer or string), got an array",
    "input.Flag: expected a boolean, got a string",
    "input.Ratio: 2 is above the maximum 1",
    "input.Big: expected a whole number (long), got 1.5",
  ]);
  assert.deepEqual(paths(everything, { ...ok, When: new Date(Number.NaN), Data: "a" }).filter((p) => !p.startsWith("input.Nested")), [
    "input.When: expected a timestamp (a valid Date, epoch seconds or an ISO-8601 string), got an invalid Date",
    "input.Data: length 1 bytes is below the minimum 2",
  ]);
  // Blob length is in bytes: "é" is two.
  assert.deepEqual(paths(everything, { ...ok, Data: "ééé" }).filter((p) => !p.startsWith("input.Nested")), ["input.Data: length 6 bytes is above the maximum 4"]);
});

test("a sensitive value is never shown; no message echoes a string", () => {
  const problems = validateInput(everything, { Nested: {}, Secret: 11, Host: "not a host!", Label: "" });
  const text = problems.map((p) => p.message).join("\n");
  assert.match(text, /the value is above the maximum 10/);
  assert.doesNotMatch(text, /\b11\b/);
  assert.doesNotMatch(text, /not a host!/);
});

test("unions: exactly one member", () => {
  const base = { Nested: {} };
  assert.deepEqual(paths(everything, { ...base, Pick: { A: "x" } }).filter((p) => !p.startsWith("input.Nested")), []);
  assert.deepEqual(paths(everything, { ...base, Pick: {} }).filter((p) => !p.startsWith("input.Nested")), [
    "input.Pick: exactly one member of the union Choice must be set; none is",
  ]);
  assert.deepEqual(paths(everything, { ...base, Pick: { A: "x", B: 1 } }).filter((p) => !p.startsWith("input.Nested")), [
    "input.Pick: exactly one member of the union Choice must be set; A, B are",
  ]);
});

test("maps check size, keys and values; recursion is followed; a circular input is reported, not looped on", () => {
  assert.deepEqual(paths(everything, { Nested: { Nested: { Nested: { Flag: 1 } } }, Map: { a: 1, bb: "x" } }), [
    "input.Map: has 2 entries, more than the maximum 1",
    "input.Map.a (key): length 1 characters is below the minimum 2",
    "input.Map.a: expected a string, got a number",
    "input.Nested.Nested.Nested.Nested: required member is missing",
    "input.Nested.Nested.Nested.Flag: expected a boolean, got a number",
  ]);
  const loop: Record<string, unknown> = {};
  loop["Nested"] = loop;
  assert.deepEqual(paths(everything, loop), ["input.Nested: the value contains itself (a circular reference)"]);
});

test("URI labels that would be empty and host labels that cannot be in a host name", () => {
  assert.deepEqual(paths(getObject, { Bucket: "b", Key: "" }), [
    "input.Key: length 0 characters is below the minimum 1",
    "input.Key: must not be empty: it is part of the request's URI path",
  ]);
  assert.deepEqual(paths(everything, { Nested: {}, Label: "", Host: "bad_label" }).filter((p) => !p.startsWith("input.Nested")), [
    "input.Label: must not be empty: it is part of the request's URI path",
    "input.Host: must be a valid host label (letters, digits and hyphens, dot-separated): it becomes part of the host name",
  ]);
});

test("class instances are not plain objects; the suggestion finds case slips", () => {
  assert.deepEqual(paths(everything, new Map([["Nested", {}]])), ["input: expected an object (Everything), got a Map"]);
  assert.deepEqual(paths(assumeRole, { roleArn: "x", RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "ab" }), [
    "input.roleArn: unknown member of AssumeRoleRequest (did you mean RoleArn?)",
  ]);
  assert.deepEqual(paths(assumeRole, { Zzzzzzz: 1, RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "ab" }), [
    "input.Zzzzzzz: unknown member of AssumeRoleRequest",
  ]);
});

test("ValidationError lists every problem in its message", () => {
  const error = new ValidationError("AssumeRole", validateInput(assumeRole, {}));
  assert.equal(error.problems.length, 2);
  assert.equal(error.message, "invalid input for AssumeRole (2 problems):\n  - input.RoleArn: required member is missing\n  - input.RoleSessionName: required member is missing");
  assert.equal(error.name, "ValidationError");
});
