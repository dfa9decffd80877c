/**
 * credential_process: the shlex-style split, spawning without a shell, the JSON contract,
 * and every failure path (exit status with stderr, timeout, bad JSON, bad version, missing
 * keys, a program that does not exist, cancellation). The helpers are small Node scripts
 * in a throw-away directory, run with this Node's absolute path.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { shellSplit } from "../../src/config/shell-words.ts";
import { fromProcess } from "../../src/credentials/providers/process.ts";
import { CredentialsError } from "../../src/errors/index.ts";
import { tempHome, type TempHome } from "../support/temp-home.ts";

const SECRET = "SECRETKEY-process-0c0ffee";
const TOKEN = "SESSIONTOKEN-process-beef42";
const NODE = process.execPath;

describe("shellSplit (Python's shlex.split, POSIX mode)", () => {
  const cases: Array<[string, string[]]> = [
    ["a b   c", ["a", "b", "c"]],
    ["  leading and trailing  ", ["leading", "and", "trailing"]],
    [`"a b" 'c d'`, ["a b", "c d"]],
    ["a\\ b", ["a b"]],
    [`"say \\"hi\\""`, ['say "hi"']],
    [`"back\\\\slash"`, ["back\\slash"]],
    [`"keep \\n and \\$HOME"`, ["keep \\n and \\$HOME"]],
    [`'single \\ keeps "all"'`, [`single \\ keeps "all"`]],
    [`a'b c'd`, ["ab cd"]],
    [`'' ""`, ["", ""]],
    ["echo $(rm -rf ~); ls | cat #x *", ["echo", "$(rm", "-rf", "~);", "ls", "|", "cat", "#x", "*"]],
    ["", []],
    ["tab\tand\nnewline", ["tab", "and", "newline"]],
  ];
  for (const [input, expected] of cases) {
    it(`splits ${JSON.stringify(input)}`, () => assert.deepEqual(shellSplit(input), expected));
  }
  it("throws on an unclosed quote or a trailing backslash", () => {
    assert.throws(() => shellSplit(`helper "unclosed`), /no closing quotation/);
    assert.throws(() => shellSplit(`helper 'unclosed`), /no closing quotation/);
    assert.throws(() => shellSplit("helper trailing\\"), /no escaped character/);
  });
});

describe("fromProcess", () => {
  let home: TempHome;
  let script: (name: string, body: string) => string;
  before(() => {
    home = tempHome();
    script = (name, body) => home.write(`bin/${name}.mjs`, body);
  });
  after(() => home.remove());

  const printJson = (doc: unknown): string => `process.stdout.write(${JSON.stringify(JSON.stringify(doc))});\n`;

  it("runs the helper and returns its credentials, with expiration and account id", async () => {
    const path = script("good", printJson({
      Version: 1,
      AccessKeyId: "ASIAPROCESS",
      SecretAccessKey: SECRET,
      SessionToken: TOKEN,
      Expiration: "2030-01-01T00:00:00Z",
      AccountId: "123456789012",
    }));
    const provider = fromProcess({ command: `${NODE} ${path}`, env: home.env, name: "profile:p (credential-process)" });
    const credentials = await provider.resolve();
    assert.equal(credentials.accessKeyId, "ASIAPROCESS");
    assert.equal(credentials.secretAccessKey, SECRET);
    assert.equal(credentials.sessionToken, TOKEN);
    assert.equal(credentials.expiration?.toISOString(), "2030-01-01T00:00:00.000Z");
    assert.equal(credentials.accountId, "123456789012");
    assert.equal(credentials.source, "profile:p (credential-process)");
  });

  it("long-term keys: no token, no expiration; the account id falls back to the profile's", async () => {
    const path = script("longterm", printJson({ Version: 1, AccessKeyId: "AKIALONG", SecretAccessKey: SECRET }));
    const credentials = await fromProcess({ command: `${NODE} ${path}`, env: home.env, accountId: "999988887777" }).resolve();
    assert.equal(credentials.sessionToken, undefined);
    assert.equal(credentials.expiration, undefined);
    assert.equal(credentials.accountId, "999988887777");
    assert.equal(credentials.source, "credential-process");
  });

  it("passes arguments literally, with no shell: $(…), ;, | and * reach the program as text", async () => {
    const path = script("argv", `
      process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: JSON.stringify(process.argv.slice(2)), SecretAccessKey: "s" }));
    `);
    const marker = join(home.dir, "pwned");
    const command = `'${NODE}' "${path}" '$(touch ${marker})' ; "| cat" * "with space" back\\ slash`;
    const credentials = await fromProcess({ command, env: home.env }).resolve();
    assert.deepEqual(JSON.parse(credentials.accessKeyId), [`$(touch ${marker})`, ";", "| cat", "*", "with space", "back slash"]);
    assert.equal(existsSync(marker), false);
  });

  it("gives the helper the provider's env, not the real process environment", async () => {
    const path = script("env", `
      process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: JSON.stringify(process.env), SecretAccessKey: "s" }));
    `);
    const credentials = await fromProcess({ command: `${NODE} ${path}`, env: { ...home.env, HELPER_SETTING: "on" } }).resolve();
    const seen = JSON.parse(credentials.accessKeyId) as Record<string, string>;
    assert.equal(seen.HELPER_SETTING, "on");
    assert.equal(seen.HOME, home.dir);
    assert.equal(seen.STRATUS_TEST, undefined, "a variable of the real environment must not be passed on");
  });

  it("a non-zero exit is an error quoting stderr and never stdout", async () => {
    const path = script("fails", `
      process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: "A", SecretAccessKey: ${JSON.stringify(SECRET)} }));
      process.stderr.write("session expired: run sso login\\n");
      process.exit(3);
    `);
    await assert.rejects(fromProcess({ command: `${NODE} ${path} --password hunter2`, env: home.env, name: "profile:p (credential-process)" }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, `profile:p (credential-process): credential_process ${NODE.split("/").pop()} exited with status 3: session expired: run sso login`);
      assert.ok(!error.message.includes(SECRET));
      assert.ok(!error.message.includes("hunter2"), "arguments may hold passwords");
      return true;
    });
  });

  it("a non-zero exit with nothing on stderr says so", async () => {
    const path = script("silent", "process.exit(1);\n");
    await assert.rejects(fromProcess({ command: `${NODE} ${path}`, env: home.env }).resolve(), /exited with status 1 \(nothing on stderr\)$/);
  });

  it("a helper that does not finish in time is killed and reported", async () => {
    const path = script("slow", "setTimeout(() => {}, 30_000);\n");
    const started = Date.now();
    await assert.rejects(fromProcess({ command: `${NODE} ${path}`, env: home.env, timeoutMs: 300 }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.match(error.message, /^credential-process: credential_process \S+ did not finish within 300 ms$/);
      return true;
    });
    assert.ok(Date.now() - started < 10_000);
  });

  it("a helper whose grandchild keeps its output open does not hold the caller past the deadline", async () => {
    const path = script("grandchild", `
      import { spawn } from "node:child_process";
      spawn(process.execPath, ["-e", "setTimeout(() => {}, 4000)"], { stdio: ["ignore", "inherit", "inherit"] }).unref();
      process.stdout.write("{");
    `);
    const started = Date.now();
    await assert.rejects(fromProcess({ command: `${NODE} ${path}`, env: home.env, timeoutMs: 1500 }).resolve(), /did not finish within 1500 ms$/);
    assert.ok(Date.now() - started < 3500, "settled at the deadline, not when the grandchild let go");
  });

  it("output that is not JSON is an error that does not quote it", async () => {
    const path = script("notjson", `process.stdout.write(${JSON.stringify(`AccessKeyId=A SecretAccessKey=${SECRET}`)});\n`);
    await assert.rejects(fromProcess({ command: `${NODE} ${path}`, env: home.env }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "credential-process: credential_process output is not valid JSON");
      assert.equal(error.cause, undefined, "the SyntaxError quotes the output, so it is not kept");
      return true;
    });
  });

  it("JSON that is not an object is an error", async () => {
    const path = script("array", printJson([1, 2]));
    await assert.rejects(fromProcess({ command: `${NODE} ${path}`, env: home.env }).resolve(), /credential_process output is not a JSON object$/);
  });

  it("a Version other than 1 is an error naming it", async () => {
    const v2 = script("v2", printJson({ Version: 2, AccessKeyId: "A", SecretAccessKey: SECRET }));
    await assert.rejects(fromProcess({ command: `${NODE} ${v2}`, env: home.env }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "credential-process: credential_process output has unsupported Version 2; supported versions: 1");
      return true;
    });
    const none = script("noversion", printJson({ AccessKeyId: "A", SecretAccessKey: SECRET }));
    await assert.rejects(fromProcess({ command: `${NODE} ${none}`, env: home.env }).resolve(), /unsupported Version missing; supported versions: 1$/);
    const text = script("textversion", printJson({ Version: "1", AccessKeyId: "A", SecretAccessKey: SECRET }));
    await assert.rejects(fromProcess({ command: `${NODE} ${text}`, env: home.env }).resolve(), /unsupported Version "1"/);
  });

  it("missing or mistyped keys are errors naming the key", async () => {
    const noSecret = script("nosecret", printJson({ Version: 1, AccessKeyId: "A" }));
    await assert.rejects(fromProcess({ command: `${NODE} ${noSecret}`, env: home.env }).resolve(), /credential_process output has no SecretAccessKey$/);
    const noKey = script("nokey", printJson({ Version: 1, SecretAccessKey: SECRET }));
    await assert.rejects(fromProcess({ command: `${NODE} ${noKey}`, env: home.env }).resolve(), /credential_process output has no AccessKeyId$/);
    const numeric = script("numeric", printJson({ Version: 1, AccessKeyId: 12, SecretAccessKey: SECRET }));
    await assert.rejects(fromProcess({ command: `${NODE} ${numeric}`, env: home.env }).resolve(), /credential_process output's AccessKeyId is not a string$/);
    const badDate = script("baddate", printJson({ Version: 1, AccessKeyId: "A", SecretAccessKey: SECRET, Expiration: "soon" }));
    await assert.rejects(fromProcess({ command: `${NODE} ${badDate}`, env: home.env }).resolve(), /credential_process output's Expiration is not an ISO 8601 date$/);
  });

  it("a program that does not exist is an error naming the program only", async () => {
    const missing = join(home.dir, "bin", "no-such-helper");
    await assert.rejects(fromProcess({ command: `${missing} --secret-flag`, env: home.env }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "credential-process: credential_process no-such-helper could not be started (ENOENT)");
      return true;
    });
  });

  it("an empty or unparsable command is an error", async () => {
    await assert.rejects(fromProcess({ command: "   ", env: home.env }).resolve(), /credential_process is empty$/);
    await assert.rejects(fromProcess({ command: `helper "open`, env: home.env }).resolve(), /credential_process cannot be parsed: no closing quotation$/);
  });

  it("an abort kills the helper and rejects with the caller's reason", async () => {
    const path = script("abortable", "setTimeout(() => {}, 30_000);\n");
    const controller = new AbortController();
    const pending = fromProcess({ command: `${NODE} ${path}`, env: home.env }).resolve({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 100);
    await assert.rejects(pending, /^Error: user cancelled$/);
  });
});
