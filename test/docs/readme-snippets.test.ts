// The READMEs: the 17 service packages' are what scripts/package-readmes.ts writes (so they
// stay alike), core, s3 and dynamodb have their own; every ```ts snippet in a package README
// and the root README's quick starts type-check against the workspace's packages (one tsc
// run for all); every relative link in them and in examples/README.md names a file that
// exists. (test/examples/readme-quickstarts.test.ts runs the quick starts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { HAND_WRITTEN, serviceReadme, servicePackages } from "../../scripts/package-readmes.ts";
import { readmeSnippet } from "../support/readme-snippets.ts";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const PACKAGES = readdirSync(join(ROOT, "packages")).filter((name) => existsSync(join(ROOT, "packages", name, "package.json"))).sort();
const readme = (name: string) => readFileSync(join(ROOT, "packages", name, "README.md"), "utf8");

test("every package has a README; the service ones are up to date with scripts/package-readmes.ts", () => {
  const services = servicePackages();
  assert.equal(services.length + HAND_WRITTEN.size, PACKAGES.length);
  for (const name of PACKAGES) assert.ok(existsSync(join(ROOT, "packages", name, "README.md")), `packages/${name}/README.md`);
  for (const name of services) assert.equal(readme(name), serviceReadme(name), `packages/${name}/README.md is stale: run node scripts/package-readmes.ts`);
  for (const name of HAND_WRITTEN) assert.match(readme(name), new RegExp(`^# @stratus/${name}\\n[\\s\\S]*\`\`\`sh\\nnpm install @stratus/${name}\\n\`\`\``));
});

// One tsc program over all twenty packages' types: ~15 s of CPU, far more on a busy machine.
test("every ```ts snippet in the package READMEs, and the README's quick starts, type-check", { timeout: 300_000 }, async () => {
  mkdirSync(join(ROOT, ".stratus-tmp"), { recursive: true });
  // Inside the repo (gitignored), so "@stratus/…" resolves to the workspace's packages.
  const dir = mkdtempSync(join(ROOT, ".stratus-tmp", "readme-snippets-"));
  try {
    const files: string[] = [];
    for (const name of PACKAGES) {
      const blocks = [...readme(name).matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? "");
      assert.ok(blocks.length > 0, `packages/${name}/README.md has a TypeScript example`);
      blocks.forEach((code, i) => {
        const file = `${name}-${i + 1}.ts`;
        // Each block is a module of its own, even one without imports.
        writeFileSync(join(dir, file), `${code}\nexport {};\n`);
        files.push(file);
      });
    }
    for (const name of ["s3", "dynamodb"]) {
      writeFileSync(join(dir, `quickstart-${name}.ts`), readmeSnippet(name).code);
      files.push(`quickstart-${name}.ts`);
    }
    // The root manifest depends on core, s3 and dynamodb only: the others by their sources.
    const paths = { "@stratus/core/testing": ["../../packages/core/src/testing/index.ts"], "@stratus/*": ["../../packages/*/src/index.ts"] };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ extends: "../../tsconfig.json", compilerOptions: { paths }, include: [], files }));
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const problems = await run(process.execPath, [tsc, "-p", dir], { cwd: dir }).then(
      () => "",
      (error: Error & { stdout?: string }) => error.stdout || error.message,
    );
    assert.equal(problems, "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("relative links in the READMEs name files that exist", () => {
  const documents = ["README.md", "examples/README.md", ...PACKAGES.map((name) => `packages/${name}/README.md`)];
  for (const document of documents) {
    const text = readFileSync(join(ROOT, document), "utf8");
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!target || /^[a-z]+:/.test(target) || target.startsWith("#")) continue;
      const path = target.split("#")[0] ?? "";
      // ../shared/ sits beside the repository, not in it.
      if (path.startsWith("../shared/") && document === "README.md") continue;
      assert.ok(existsSync(join(ROOT, dirname(document), path)), `${document} links to ${target}, which does not exist`);
    }
  }
});
