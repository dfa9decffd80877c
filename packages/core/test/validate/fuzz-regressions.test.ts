// What the fuzz suite (test/fuzz/validation.fuzz.ts) found in input validation: inputs that
// passed it and then failed before sending, as a plain StratusError naming no member.
// - epoch seconds beyond what a Date holds, for a timestamp member;
// - a header-bound string holding a line break, a NUL or a character beyond U+00FF, or a
//   prefix-header key that is no header-name token ("the HTTP request could not be sent").
// They are now validation problems at the member's path (the header ones only for
// requests: a stubbed response is never sent).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { schemaFromBotocore, type BotocoreModel } from "../../src/schema/from-botocore.ts";
import { resolveShape } from "../../src/schema/normalize.ts";
import type { StructureShape } from "../../src/schema/types.ts";
import { validateInput } from "../../src/validate/validate.ts";

const MODELS = join(import.meta.dirname, "..", "..", "..", "..", "..", "shared", "models");
const model = JSON.parse(readFileSync(join(MODELS, "s3", "2006-03-01", "service-2.json"), "utf8")) as BotocoreModel;
const putObject: StructureShape = resolveShape(schemaFromBotocore(model).operations["PutObject"]?.input ?? (() => { throw new Error("no PutObject"); })());

const paths = (input: unknown, root?: string) => validateInput(putObject, input, root).map((p) => p.path).sort();

test("header values HTTP cannot carry are named at their member", () => {
  const input = { Bucket: "b", Key: "k", ContentType: "text/plain\r\nX-Injected: 1", CacheControl: "\u0000", ContentLanguage: "€", ContentDisposition: "café" };
  assert.deepEqual(paths(input), ["input.CacheControl", "input.ContentLanguage", "input.ContentType"]);
});

test("prefix-header keys must be header-name tokens and their values header-safe", () => {
  const input = { Bucket: "b", Key: "k", Metadata: { ok: "v", "bad key": "v", "ключ": "v", fine: "line\nbreak" } };
  assert.deepEqual(paths(input), ["input.Metadata.fine", 'input.Metadata["bad key"] (key)', 'input.Metadata["ключ"] (key)']);
});

test("the header check does not apply to a stubbed response", () => {
  assert.deepEqual(paths({ Bucket: "b", Key: "k", ContentType: "\u0000" }, "response"), []);
});

test("epoch seconds beyond what a Date holds are not a timestamp", () => {
  assert.deepEqual(paths({ Bucket: "b", Key: "k", Expires: 8_640_000_000_001 }), ["input.Expires"]);
  assert.deepEqual(paths({ Bucket: "b", Key: "k", Expires: -8_640_000_000_001 }), ["input.Expires"]);
  assert.deepEqual(paths({ Bucket: "b", Key: "k", Expires: 8_640_000_000_000 }), []);
});
