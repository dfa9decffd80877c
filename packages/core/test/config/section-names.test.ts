// Config-file section headers split like shlex.split, and what each header names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { classifyConfigSection, shellWords } from "../../src/config/section-names.ts";

test("shellWords splits like a POSIX shell without expansions", () => {
  assert.deepEqual(shellWords("profile  dev"), ["profile", "dev"]);
  assert.deepEqual(shellWords(`profile "my dev"`), ["profile", "my dev"]);
  assert.deepEqual(shellWords(`profile 'it''s'`), ["profile", "its"]);
  assert.deepEqual(shellWords(`profile a\\ b`), ["profile", "a b"]);
  assert.deepEqual(shellWords(`profile "q\\"x\\\\y\\z"`), ["profile", `q"x\\y\\z`]);
  assert.deepEqual(shellWords(`profile pre"mid dle"post`), ["profile", "premid dlepost"]);
  assert.deepEqual(shellWords(`profile ""`), ["profile", ""]);
  assert.equal(shellWords(`profile "open`), undefined);
  assert.equal(shellWords(`profile 'open`), undefined);
  assert.equal(shellWords(`profile trailing\\`), undefined);
});

test("classifyConfigSection names default, profiles, sso-sessions and services; anything else is undefined", () => {
  assert.deepEqual(classifyConfigSection("default"), { kind: "default" });
  assert.deepEqual(classifyConfigSection("profile default"), { kind: "profile", name: "default" });
  assert.deepEqual(classifyConfigSection("profile dev"), { kind: "profile", name: "dev" });
  assert.deepEqual(classifyConfigSection("sso-session corp"), { kind: "sso-session", name: "corp" });
  assert.deepEqual(classifyConfigSection(`services "local stack"`), { kind: "services", name: "local stack" });
  for (const header of ["preview", "profile", "profile a b", "profiles dev", "Profile dev", `profile ""`, "profile 'x", "DEFAULT"]) {
    assert.equal(classifyConfigSection(header), undefined, header);
  }
});
