// Retry mode and attempt count: env over profile per setting, defaults, and bad values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadSharedConfig, resolveRetryConfig } from "../../src/config/index.ts";
import { tempHome } from "../support/temp-home.ts";

test("defaults: standard mode, 3 attempts; legacy mode defaults to 5 attempts", () => {
  assert.deepEqual(resolveRetryConfig({ env: {} }), { mode: "standard", maxAttempts: 3 });
  assert.deepEqual(resolveRetryConfig({ env: {}, profile: {} }), { mode: "standard", maxAttempts: 3 });
  assert.deepEqual(resolveRetryConfig({ env: { AWS_RETRY_MODE: "adaptive" } }), { mode: "adaptive", maxAttempts: 3 });
  assert.deepEqual(resolveRetryConfig({ env: { AWS_RETRY_MODE: "legacy" } }), { mode: "legacy", maxAttempts: 5 });
  assert.deepEqual(resolveRetryConfig({ env: { AWS_RETRY_MODE: "legacy", AWS_MAX_ATTEMPTS: "2" } }), { mode: "legacy", maxAttempts: 2 });
});

test("the environment wins over the profile, each setting on its own", () => {
  const profile = { retry_mode: "adaptive", max_attempts: "7" };
  assert.deepEqual(resolveRetryConfig({ env: {}, profile }), { mode: "adaptive", maxAttempts: 7 });
  assert.deepEqual(resolveRetryConfig({ env: { AWS_RETRY_MODE: "legacy", AWS_MAX_ATTEMPTS: "1" }, profile }), {
    mode: "legacy",
    maxAttempts: 1,
  });
  assert.deepEqual(resolveRetryConfig({ env: { AWS_MAX_ATTEMPTS: "10" }, profile }), { mode: "adaptive", maxAttempts: 10 });
  assert.deepEqual(resolveRetryConfig({ env: { AWS_RETRY_MODE: "standard" }, profile }), { mode: "standard", maxAttempts: 7 });
  assert.deepEqual(resolveRetryConfig({ env: { AWS_RETRY_MODE: "", AWS_MAX_ATTEMPTS: "" }, profile }), {
    mode: "adaptive",
    maxAttempts: 7,
  });
});

test("invalid values are ConfigErrors naming the variable or profile key and the value", () => {
  const cases: [Record<string, string>, Record<string, string>, string][] = [
    [{ AWS_RETRY_MODE: "Standard" }, {}, 'the AWS_RETRY_MODE environment variable is "Standard"; expected one of "legacy", "standard", "adaptive"'],
    [{}, { retry_mode: "fast" }, 'retry_mode in the profile is "fast"; expected one of "legacy", "standard", "adaptive"'],
    [{ AWS_MAX_ATTEMPTS: "0" }, {}, 'the AWS_MAX_ATTEMPTS environment variable is "0"; expected a whole number of attempts, 1 or more'],
    [{ AWS_MAX_ATTEMPTS: "2.5" }, {}, 'the AWS_MAX_ATTEMPTS environment variable is "2.5"; expected a whole number of attempts, 1 or more'],
    [{ AWS_MAX_ATTEMPTS: "-1" }, {}, 'the AWS_MAX_ATTEMPTS environment variable is "-1"; expected a whole number of attempts, 1 or more'],
    [{ AWS_MAX_ATTEMPTS: " 3" }, {}, 'the AWS_MAX_ATTEMPTS environment variable is " 3"; expected a whole number of attempts, 1 or more'],
    [{}, { max_attempts: "three" }, 'max_attempts in the profile is "three"; expected a whole number of attempts, 1 or more'],
    [{}, { max_attempts: "99999999999999999999" }, 'max_attempts in the profile is "99999999999999999999"; expected a whole number of attempts, 1 or more'],
  ];
  for (const [env, profile, message] of cases) {
    assert.throws(() => resolveRetryConfig({ env, profile }), { name: "ConfigError", message });
  }
});

test("a bad value loaded from a file is reported with its file and line", async (t) => {
  const h = tempHome({ config: "[profile dev]\nregion = us-east-1\nretry_mode = standard\nmax_attempts = 0x10\n" });
  t.after(() => h.remove());
  const config = await loadSharedConfig({ env: h.env });
  assert.throws(() => resolveRetryConfig({ env: {}, profile: config.profile("dev") }), {
    name: "ConfigError",
    message: `max_attempts in profile "dev" (${join(h.dir, ".aws", "config")}:4) is "0x10"; expected a whole number of attempts, 1 or more`,
  });
});
