/**
 * The caching wrapper: botocore's advisory (15 min) and mandatory (10 min) windows, long-term
 * credentials resolved once, single-flight refresh, and a caller's abort. The clock is a
 * variable the tests move; nothing sleeps.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ADVISORY_REFRESH_MS,
  cacheCredentials,
  MANDATORY_REFRESH_MS,
  refreshNeed,
} from "../../src/credentials/cache.ts";
import { Credentials } from "../../src/credentials/credentials.ts";
import type { CredentialProvider } from "../../src/credentials/provider.ts";
import { CredentialsError } from "../../src/errors/index.ts";

const MINUTE = 60_000;
const T0 = Date.parse("2030-06-01T12:00:00Z");

/** A provider that hands out numbered credentials expiring `lifetimeMs` after the clock. */
function counting(clock: { now: number }, lifetimeMs: number | undefined) {
  const state = { calls: 0, fail: undefined as Error | undefined, gate: undefined as Promise<void> | undefined };
  const provider: CredentialProvider = {
    name: "counting",
    async resolve() {
      state.calls++;
      const n = state.calls;
      if (state.gate) await state.gate;
      if (state.fail) throw state.fail;
      return new Credentials(
        {
          accessKeyId: `AKID${n}`,
          secretAccessKey: `secret-${n}`,
          sessionToken: `token-${n}`,
          expiration: lifetimeMs === undefined ? undefined : new Date(clock.now + lifetimeMs),
        },
        "counting",
      );
    },
  };
  return { provider, state };
}

describe("refreshNeed (the pure policy)", () => {
  const windows = { advisoryMs: ADVISORY_REFRESH_MS, mandatoryMs: MANDATORY_REFRESH_MS };
  it("uses botocore's 15 and 10 minute windows", () => {
    assert.equal(ADVISORY_REFRESH_MS, 15 * MINUTE);
    assert.equal(MANDATORY_REFRESH_MS, 10 * MINUTE);
  });
  it("classifies the remaining time at and around each boundary", () => {
    assert.equal(refreshNeed(Infinity, windows), "none");
    assert.equal(refreshNeed(15 * MINUTE + 1, windows), "none");
    assert.equal(refreshNeed(15 * MINUTE, windows), "advisory");
    assert.equal(refreshNeed(10 * MINUTE + 1, windows), "advisory");
    assert.equal(refreshNeed(10 * MINUTE, windows), "mandatory");
    assert.equal(refreshNeed(0, windows), "mandatory");
    assert.equal(refreshNeed(-5 * MINUTE, windows), "mandatory");
  });
});

describe("cacheCredentials", () => {
  it("resolves long-term credentials once, however often it is asked and however late", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, undefined);
    const cache = cacheCredentials(provider, { now: () => clock.now });
    const first = await cache.resolve();
    clock.now += 365 * 24 * 60 * MINUTE;
    for (let i = 0; i < 5; i++) assert.equal(await cache.resolve(), first);
    assert.equal(state.calls, 1);
    assert.equal(cache.name, "counting");
  });

  it("keeps temporary credentials until the advisory window, then refreshes", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, 60 * MINUTE);
    const cache = cacheCredentials(provider, { now: () => clock.now });
    assert.equal((await cache.resolve()).accessKeyId, "AKID1");
    clock.now = T0 + 44 * MINUTE; // 16 minutes left
    assert.equal((await cache.resolve()).accessKeyId, "AKID1");
    assert.equal(state.calls, 1);
    clock.now = T0 + 46 * MINUTE; // 14 minutes left: advisory
    assert.equal((await cache.resolve()).accessKeyId, "AKID2");
    assert.equal(state.calls, 2);
    assert.equal((await cache.resolve()).accessKeyId, "AKID2");
    assert.equal(state.calls, 2);
  });

  it("in the advisory window, a failed refresh keeps the still-valid credentials", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, 60 * MINUTE);
    const cache = cacheCredentials(provider, { now: () => clock.now });
    const first = await cache.resolve();
    clock.now = T0 + 48 * MINUTE; // 12 minutes left
    state.fail = new CredentialsError("counting", "STS is down");
    assert.equal(await cache.resolve(), first);
    assert.equal(await cache.resolve(), first);
    assert.equal(state.calls, 3, "each call in the window tries again");
  });

  it("in the mandatory window, a failed refresh is the caller's error", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, 60 * MINUTE);
    const cache = cacheCredentials(provider, { now: () => clock.now });
    await cache.resolve();
    clock.now = T0 + 51 * MINUTE; // 9 minutes left
    state.fail = new CredentialsError("counting", "STS is down");
    await assert.rejects(cache.resolve(), (error: unknown) => error === state.fail);
    state.fail = undefined;
    assert.equal((await cache.resolve()).accessKeyId, "AKID3");
  });

  it("a failed first resolve is thrown and the next call tries again", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, 60 * MINUTE);
    const cache = cacheCredentials(provider, { now: () => clock.now });
    state.fail = new CredentialsError("counting", "nope");
    await assert.rejects(cache.resolve(), /counting: nope/);
    state.fail = undefined;
    assert.equal((await cache.resolve()).accessKeyId, "AKID2");
  });

  it("100 concurrent callers of a first resolve share one upstream call", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, 60 * MINUTE);
    let open!: () => void;
    state.gate = new Promise<void>((resolve) => (open = resolve));
    const cache = cacheCredentials(provider, { now: () => clock.now });
    const waiting = Array.from({ length: 100 }, () => cache.resolve());
    open();
    const results = await Promise.all(waiting);
    assert.equal(state.calls, 1);
    assert.ok(results.every((c) => c === results[0]));
  });

  it("100 concurrent callers during a mandatory refresh share one upstream call", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, 60 * MINUTE);
    const cache = cacheCredentials(provider, { now: () => clock.now });
    await cache.resolve();
    clock.now = T0 + 55 * MINUTE;
    let open!: () => void;
    state.gate = new Promise<void>((resolve) => (open = resolve));
    const waiting = Array.from({ length: 100 }, () => cache.resolve());
    open();
    const results = await Promise.all(waiting);
    assert.equal(state.calls, 2, "one initial resolve and exactly one refresh");
    assert.ok(results.every((c) => c.accessKeyId === "AKID2"));
  });

  it("100 concurrent callers in the advisory window share one refresh, and all keep the old keys if it fails", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, 60 * MINUTE);
    const cache = cacheCredentials(provider, { now: () => clock.now });
    const first = await cache.resolve();
    clock.now = T0 + 47 * MINUTE;
    state.fail = new CredentialsError("counting", "down");
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.resolve()));
    assert.equal(state.calls, 2);
    assert.ok(results.every((c) => c === first));
  });

  it("a shared refresh that fails fails every mandatory waiter with the same error, once", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, 60 * MINUTE);
    const cache = cacheCredentials(provider, { now: () => clock.now });
    await cache.resolve();
    clock.now = T0 + 55 * MINUTE;
    state.fail = new CredentialsError("counting", "down");
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => cache.resolve()));
    assert.equal(state.calls, 2);
    assert.ok(outcomes.every((o) => o.status === "rejected" && o.reason === state.fail));
  });

  it("refuses credentials that are already expired when they arrive", async () => {
    const clock = { now: T0 };
    const { provider } = counting(clock, -1);
    const cache = cacheCredentials(provider, { now: () => clock.now });
    await assert.rejects(cache.resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.match(error.message, /^counting: returned credentials that expired at 2030-06-01T11:59:59\.999Z$/);
      return true;
    });
  });

  it("a caller's abort ends only its own wait; the shared refresh completes for the others", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, 60 * MINUTE);
    let open!: () => void;
    state.gate = new Promise<void>((resolve) => (open = resolve));
    const cache = cacheCredentials(provider, { now: () => clock.now });
    const controller = new AbortController();
    const aborted = cache.resolve({ signal: controller.signal });
    const patient = cache.resolve();
    controller.abort(new Error("caller gave up"));
    await assert.rejects(aborted, /caller gave up/);
    open();
    assert.equal((await patient).accessKeyId, "AKID1");
    assert.equal(state.calls, 1);
    // And the result is cached for later callers.
    assert.equal((await cache.resolve()).accessKeyId, "AKID1");
    assert.equal(state.calls, 1);
  });

  it("an already-aborted signal rejects without calling the provider", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, 60 * MINUTE);
    const cache = cacheCredentials(provider, { now: () => clock.now });
    await assert.rejects(cache.resolve({ signal: AbortSignal.abort(new Error("early")) }), /early/);
    assert.equal(state.calls, 0);
  });

  it("invalidate() forgets the cached credentials", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, undefined);
    const cache = cacheCredentials(provider, { now: () => clock.now });
    await cache.resolve();
    cache.invalidate();
    assert.equal((await cache.resolve()).accessKeyId, "AKID2");
    assert.equal(state.calls, 2);
  });

  it("takes custom windows and rejects inverted ones", async () => {
    const clock = { now: T0 };
    const { provider, state } = counting(clock, 10 * MINUTE);
    const cache = cacheCredentials(provider, { now: () => clock.now, advisoryRefreshMs: 2 * MINUTE, mandatoryRefreshMs: MINUTE });
    await cache.resolve();
    clock.now = T0 + 7 * MINUTE; // 3 minutes left: outside the custom advisory window
    await cache.resolve();
    assert.equal(state.calls, 1);
    clock.now = T0 + 8 * MINUTE + 30_000; // 90 s left: advisory
    await cache.resolve();
    assert.equal(state.calls, 2);
    assert.throws(() => cacheCredentials(provider, { advisoryRefreshMs: MINUTE, mandatoryRefreshMs: 2 * MINUTE }), RangeError);
  });
});
