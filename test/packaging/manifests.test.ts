/**
 * Every package's manifest, read as it is in the workspace: ESM, side-effect free, the
 * sources as `exports` here and dist/ in `publishConfig` (what pnpm pack publishes), with
 * the same subpaths in both and each published file one that scripts/build.ts makes from
 * a source that exists. pack-install.test.ts packs and installs two of them for real; this
 * covers all twenty without building.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const PACKAGES = join(import.meta.dirname, "..", "..", "packages");
const CONDITIONS = ["types", "node", "workerd", "deno", "bun", "browser", "default"];

const names = readdirSync(PACKAGES).filter((name) => existsSync(join(PACKAGES, name, "package.json"))).sort();

test("there are the core and 19 service packages", () => {
  assert.ok(names.includes("core"));
  assert.ok(names.length >= 20, `${names.length} packages`);
});

for (const name of names) {
  test(`${name}: exports the sources in the workspace and dist/ when published`, () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGES, name, "package.json"), "utf8")) as Record<string, unknown>;
    assert.equal(manifest["type"], "module");
    assert.equal(manifest["sideEffects"], false);
    assert.deepEqual(manifest["files"], ["dist"]);
    const source = manifest["exports"] as Record<string, string>;
    const publish = manifest["publishConfig"] as { exports: Record<string, Record<string, string> | string>; types: string; main: string };
    assert.deepEqual(Object.keys(publish.exports), Object.keys(source), "the same subpaths in the workspace and published");
    assert.equal(publish.types, "./dist/index.d.ts");
    assert.equal(publish.main, "./dist/index.js");
    for (const [subpath, from] of Object.entries(source)) {
      const published = publish.exports[subpath];
      if (subpath === "./package.json") {
        assert.equal(published, "./package.json");
        continue;
      }
      assert.ok(existsSync(join(PACKAGES, name, from)), `${subpath}: ${from} exists`);
      assert.match(from, /^\.\/src\/.*\.ts$/);
      const base = `./dist/${from.slice("./src/".length, -".ts".length)}`;
      assert.ok(published && typeof published === "object", `${subpath}: published with conditions`);
      assert.deepEqual(Object.keys(published), CONDITIONS, `${subpath}: condition order (types first, default last)`);
      for (const condition of CONDITIONS) assert.equal(published[condition], condition === "types" ? `${base}.d.ts` : `${base}.js`, `${subpath} [${condition}]`);
    }
    // `#name` imports (the core's Node-or-edge defaults): the same names and conditions
    // published, each pointing at the dist/ file built from the source it names here.
    const imports = (manifest["imports"] ?? {}) as Record<string, Record<string, string>>;
    const publishedImports = ((publish as { imports?: unknown }).imports ?? {}) as Record<string, Record<string, string>>;
    assert.deepEqual(Object.keys(publishedImports), Object.keys(imports), "the same #imports in the workspace and published");
    for (const [specifier, conditions] of Object.entries(imports)) {
      assert.equal(Object.keys(conditions).at(-1), "default", `${specifier}: "default" last`);
      assert.deepEqual(Object.keys(publishedImports[specifier] ?? {}), Object.keys(conditions), `${specifier}: the same conditions published`);
      for (const [condition, from] of Object.entries(conditions)) {
        assert.ok(existsSync(join(PACKAGES, name, from)), `${specifier} [${condition}]: ${from} exists`);
        assert.equal(publishedImports[specifier]?.[condition], `./dist/${from.slice("./src/".length, -".ts".length)}.js`, `${specifier} [${condition}]`);
      }
    }
    const dependencies = (manifest["dependencies"] ?? {}) as Record<string, string>;
    if (name !== "core") assert.equal(dependencies["@stratus/core"], "workspace:*", "pnpm pack turns this into the core's version");
  });
}
