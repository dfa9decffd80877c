// `npm run demo` stays true: the demo runs to the end against the servers it starts itself
// and shows what the README says it shows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const ROOT = join(import.meta.dirname, "..", "..");

test("the demo runs to the end", { timeout: 240_000 }, async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, "scripts", "demo.ts")], {
    cwd: ROOT,
    env: { PATH: process.env["PATH"] ?? "", HOME: "/nonexistent-demo-home" },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 220_000,
  });
  assert.match(stdout, /listObjects paginator: 5 keys in 3 pages of 2/);
  assert.match(stdout, /upload 2026\/video\.mp4: 24 MiB sent/);
  assert.match(stdout, /upload done: 5 parts, 24 MiB stored/);
  assert.match(stdout, /document query \(author = ada, slug begins with 2026-, likes > 10\): \[\{"author":"ada","slug":"2026-notes-on-bernoulli","likes":40,"tags":\["math"\]\}\]/);
  assert.match(stdout, /conditional put of an existing id: caught ConditionalCheckFailedException/);
  assert.doesNotMatch(stdout, /demo-secret-never-printed/, "the credential_process secret never shows");
});
