// abandonable(): the caller stops waiting on abort, the promise runs on, and an outcome
// nobody waits for any more never becomes an unhandled rejection (which would end a Node
// process). The S3 transfer manager leans on that for reads of a caller's stream.
import { test } from "node:test";
import assert from "node:assert/strict";
import { abandonable } from "../../src/abort/index.ts";

/** Lets any pending "unhandledRejection" fire: Node reports them once the microtask queue drains. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const record = (reason: unknown): void => void seen.push(reason);
  process.on("unhandledRejection", record);
  try {
    await run();
    await nextTurn();
    await nextTurn();
  } finally {
    process.off("unhandledRejection", record);
  }
  return seen;
}

test("abandonable() passes the promise's value and error through while the signal stays quiet", async () => {
  const signal = new AbortController().signal;
  assert.equal(await abandonable(Promise.resolve(7), signal), 7);
  const failure = new Error("read failed");
  await assert.rejects(abandonable(Promise.reject(failure), signal), (error) => error === failure);
});

test("abandonable() rejects with the signal's own reason when it aborts mid-wait, and drops the later outcome", async () => {
  const controller = new AbortController();
  const reason = new Error("caller stopped");
  let fail!: (error: Error) => void;
  const pending = new Promise<number>((_, reject) => (fail = reject));
  const seen = await unhandledDuring(async () => {
    const waiting = abandonable(pending, controller.signal);
    controller.abort(reason);
    await assert.rejects(waiting, (error) => error === reason);
    fail(new Error("late failure"));
  });
  assert.deepEqual(seen, []);
});

test("abandonable() on a signal already aborted rejects at once and leaves no unhandled rejection behind", async () => {
  const controller = new AbortController();
  const reason = new Error("aborted before the wait");
  controller.abort(reason);
  let fail!: (error: Error) => void;
  const pending = new Promise<number>((_, reject) => (fail = reject));
  const seen = await unhandledDuring(async () => {
    await assert.rejects(abandonable(pending, controller.signal), (error) => error === reason);
    fail(new Error("late failure"));
  });
  assert.deepEqual(seen, []);
});
