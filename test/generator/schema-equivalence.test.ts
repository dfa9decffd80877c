/**
 * The generated schema.ts of every service is exactly what the core's `schemaFromBotocore`
 * builds from the same model: same service, same operations, same shapes, field by field,
 * with every thunk followed (recursive shapes compared once per pair). And, where the
 * botocore source is here, building from models/ equals building from the original
 * service-2.json: the importer kept everything the core reads.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { schemaFromBotocore, type BotocoreModel, type SchemaFromModel } from "../../packages/core/src/schema/index.ts";
import { readService } from "../../scripts/codegen/botocore-data.ts";
import { HAS_SOURCE, MODELS, modelServices, PACKAGES, SOURCE } from "./support.ts";
import type { StratusModel } from "../../scripts/codegen/clean-model.ts";
import { patchModel } from "../../scripts/codegen/model-patches.ts";

/** Deep equality where a function on either side is a thunk to follow; cycles compare once. */
function assertSame(actual: unknown, expected: unknown, path: string, seen = new Map<object, object>()): void {
  const a = typeof actual === "function" ? (actual as () => unknown)() : actual;
  const e = typeof expected === "function" ? (expected as () => unknown)() : expected;
  if (a === null || e === null || typeof a !== "object" || typeof e !== "object") {
    assert.equal(a, e, `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(e)}`);
    return;
  }
  if (seen.get(a) === e) return;
  seen.set(a, e);
  assert.equal(Array.isArray(a), Array.isArray(e), `${path}: array vs object`);
  const aKeys = Object.keys(a).sort();
  const eKeys = Object.keys(e).sort();
  assert.deepEqual(aKeys, eKeys, `${path}: different fields`);
  for (const key of aKeys) {
    assertSame((a as Record<string, unknown>)[key], (e as Record<string, unknown>)[key], `${path}.${key}`, seen);
  }
}

function readModel(service: string): StratusModel {
  return JSON.parse(readFileSync(join(MODELS, `${service}.json`), "utf8")) as StratusModel;
}

/** What the generator builds from: models/ with the documented model patches applied. */
function fromModels(service: string): SchemaFromModel {
  return schemaFromBotocore(patchModel(service, readModel(service)) as unknown as BotocoreModel);
}

for (const service of modelServices()) {
  test(`${service}: generated schema.ts equals schemaFromBotocore(patched models/${service}.json)`, async () => {
    const built = fromModels(service);
    const generated = (await import(join(PACKAGES, service, "src", "generated", "schema.ts"))) as Record<string, unknown>;
    assertSame(generated["service"], built.service, "service");
    const operations = new Map<string, unknown>();
    const shapes = new Map<string, unknown>();
    for (const value of Object.values(generated)) {
      if (value === null || typeof value !== "object" || !("name" in value)) continue;
      const name = String(value.name);
      if ("http" in value) operations.set(name, value);
      else if ("type" in value) shapes.set(name, value);
    }
    assert.deepEqual([...operations.keys()].sort(), Object.keys(built.operations).sort(), "operations");
    for (const [name, op] of Object.entries(built.operations)) assertSame(operations.get(name), op, `operations.${name}`);
    // Every shape constant is the model's shape of that name (unreachable ones are left out).
    for (const [name, shape] of shapes) {
      assert.ok(built.shapes[name], `schema.ts has a shape ${name} the model does not`);
      assertSame(shape, built.shapes[name], `shapes.${name}`);
    }
    assert.ok(shapes.size > 0);
  });
}

test("models/ keeps everything the core reads from the botocore source", { skip: HAS_SOURCE ? false : `no botocore data at ${SOURCE}` }, () => {
  for (const service of modelServices()) {
    const source = readService(SOURCE, service).service as unknown as BotocoreModel;
    const original = schemaFromBotocore(source);
    const imported = schemaFromBotocore(readModel(service) as unknown as BotocoreModel);
    assertSame(imported.service, original.service, `${service}.service`);
    assertSame(imported.operations, original.operations, `${service}.operations`);
    assertSame(imported.shapes, original.shapes, `${service}.shapes`);
  }
});
