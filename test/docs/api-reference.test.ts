// The API reference builds clean: TypeDoc (scripts/docs.ts, typedoc.json's settings: link
// validation on, warnings are errors) over @stratus/core, @stratus/core/testing, @stratus/s3
// and @stratus/dynamodb reports nothing. The other 17 service packages are generated the
// same way and only slow the run (all 20 take about twice as long: `pnpm docs` builds them).
//
// One fixture with a link to nothing is documented in the same run, to show the check is
// live: its broken link must be the one problem reported.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildApiReference } from "../../scripts/docs.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURE = "test/docs/fixtures/broken-link.ts";

// ~10 s of CPU (most of it TypeScript reading the workspace), far more on a busy machine.
test("TypeDoc documents core, testing, s3 and dynamodb with no warning and no broken link", { timeout: 300_000 }, async (t) => {
  const started = performance.now();
  const result = await buildApiReference({
    entryPoints: ["packages/core/src/index.ts", "packages/core/src/testing/index.ts", "packages/s3/src/index.ts", "packages/dynamodb/src/index.ts", FIXTURE],
  });
  t.diagnostic(`TypeDoc: ${result.reflections} reflections in ${Math.round(performance.now() - started)} ms`);

  const fromFixture = result.problems.filter((p) => p.includes("broken-link"));
  const others = result.problems.filter((p) => !p.includes("broken-link"));
  assert.deepEqual(others, [], "TypeDoc problems in the packages");
  assert.deepEqual(fromFixture, ['Failed to resolve link to "NoSuchFunctionAnywhere" in comment for test/docs/fixtures/broken-link.linksNowhere']);

  // Modules carry their import specifiers, and the service's schema data is left out.
  assert.deepEqual(result.modules, ["@stratus/core", "@stratus/core/testing", "@stratus/dynamodb", "@stratus/s3", "test/docs/fixtures/broken-link"]);
});

test("typedoc.json covers every package's entry point, validates links and fails on warnings", () => {
  const config = JSON.parse(readFileSync(join(ROOT, "typedoc.json"), "utf8")) as Record<string, unknown>;
  assert.deepEqual(config["entryPoints"], ["packages/*/src/index.ts", "packages/core/src/testing/index.ts"]);
  assert.equal(config["out"], "docs/api");
  assert.equal(config["treatWarningsAsErrors"], true);
  assert.deepEqual(config["validation"], { invalidLink: true, notExported: false, notDocumented: false });
  const ignored = readFileSync(join(ROOT, ".gitignore"), "utf8").split("\n");
  assert.ok(ignored.includes("docs/api/"), "the generated reference is not committed");
  const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  assert.equal(scripts["docs"], "node scripts/bootstrap.mjs scripts/docs.ts");
});
