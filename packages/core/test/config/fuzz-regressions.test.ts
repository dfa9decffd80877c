// What the fuzz suite (test/fuzz/endpoints.fuzz.ts) found in the configured-endpoint check:
// WHATWG URL repairs "http:///host", backslashes and spaces inside a URL, so they passed
// the check, but the URL goes to the endpoint rules as written, where parseURL does not
// repair it, and S3 rules that fall through on a failed parseURL sent the call to AWS
// instead. Such a URL is now a ConfigError; spaces around it are trimmed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveEndpointUrl, type SharedConfig } from "../../src/config/index.ts";
import { ConfigError } from "../../src/errors/index.ts";

// An explicit endpoint is checked before any shared file would be read.
const config = undefined as unknown as SharedConfig;
const check = (endpointUrl: string) => resolveEndpointUrl({ endpointUrl, serviceId: "S3", env: {}, config });

test("a URL that only parses once WHATWG repairs it is a ConfigError", () => {
  for (const bad of ["http:///host", "http://\\\\host", "http:\\\\host", "http://ho st", "http://host/a b", "http://ho\tst", "http://host\n/x"]) {
    assert.throws(() => check(bad), ConfigError, JSON.stringify(bad));
  }
});

test("spaces around a URL are trimmed; the URL is otherwise kept as written", () => {
  assert.equal(check("  http://localhost:4566/base/./x/ \n"), "http://localhost:4566/base/./x/");
  assert.equal(check("https://[::1]:8443"), "https://[::1]:8443");
});

test("a URL refused by the check never reaches the message verbatim", () => {
  assert.throws(() => check("http:///user:secret@host"), (error: unknown) => error instanceof ConfigError && !error.message.includes("secret"));
});
