/**
 * invalidate(rejected): forgetting only the credentials a service refused, so that calls
 * refused the same expired token at the same time share one refresh (found by the fault
 * suite, test/faults: eight concurrent ExpiredTokenException answers made eight refreshes).
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { cacheCredentials } from "../../src/credentials/cache.ts";
import { Credentials } from "../../src/credentials/credentials.ts";
import type { CredentialProvider } from "../../src/credentials/provider.ts";

function numbered(): { provider: CredentialProvider; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    provider: {
      name: "numbered",
      async resolve() {
        calls++;
        return new Credentials({ accessKeyId: `AKID${calls}`, secretAccessKey: "s", sessionToken: `token-${calls}`, expiration: new Date(Date.now() + 3_600_000) }, "numbered");
      },
    },
  };
}

it("invalidate(rejected) forgets the cached credentials only while they are the rejected ones", async () => {
  const { provider, calls } = numbered();
  const cache = cacheCredentials(provider);
  const first = await cache.resolve();
  cache.invalidate(first);
  const second = await cache.resolve();
  assert.equal(second.sessionToken, "token-2");
  // A late refusal of the first token must not throw the second one away.
  cache.invalidate(first);
  assert.equal(await cache.resolve(), second);
  assert.equal(calls(), 2);
  // Refusing the current ones, or giving no credentials, forgets them.
  cache.invalidate(second);
  assert.equal((await cache.resolve()).sessionToken, "token-3");
  cache.invalidate();
  assert.equal((await cache.resolve()).sessionToken, "token-4");
});

it("refusals of the same credentials arriving one after another make one refresh", async () => {
  const { provider, calls } = numbered();
  const cache = cacheCredentials(provider);
  const first = await cache.resolve();
  // Eight calls signed with `first` hear "expired" at different moments, some after the
  // first refresh has already finished.
  const refreshed = await Promise.all(
    Array.from({ length: 8 }, async (_, i) => {
      for (let turn = 0; turn < i; turn++) await new Promise((resolve) => setImmediate(resolve));
      cache.invalidate(first);
      return cache.resolve();
    }),
  );
  assert.ok(refreshed.every((credentials) => credentials.sessionToken === "token-2"));
  assert.equal(calls(), 2);
});
