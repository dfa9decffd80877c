// waitFor on real waiters-2.json entries (s3, dynamodb, ec2, lambda) and synthetic ones:
// every matcher and state, the exact attempt times on a simulated clock, failure, timeout,
// unmatched errors, abort, and config/option checks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { JmesPathError } from "../../src/paginate/index.ts";
import {
  waitFor,
  WaiterError,
  WaiterFailureError,
  WaiterTimeoutError,
  type WaiterConfig,
} from "../../src/wait/index.ts";
import { output, serviceError, simulation, type Step } from "./fakes.ts";
import { waiterConfig } from "./models.ts";

function run(config: WaiterConfig, script: readonly Step[], extra: { latencyMs?: number; random?: number; maxWait?: number; input?: unknown } = {}) {
  const sim = simulation(script, extra);
  const promise = waitFor(sim.send, config, extra.input ?? { Name: "x" }, {
    sleep: sim.sleep,
    now: sim.now,
    random: sim.random,
    maxWait: extra.maxWait,
  });
  return { sim, promise };
}

const notFound = serviceError("NotFound", 404);

test("s3 BucketExists: 404 retries, then a 200 output is success (status matcher on errors and outputs)", async () => {
  const ok = output({});
  const { sim, promise } = run(waiterConfig("s3", "BucketExists"), [{ throws: notFound }, { throws: notFound }, { ok }]);
  const result = await promise;
  assert.deepEqual(result, { state: "success", result: ok, attempts: 3, waitedMs: 10_000 });
  assert.equal(result.result, ok);
  assert.deepEqual(sim.sleeps, [5000, 5000]);
  assert.deepEqual(sim.sentAt, [0, 5000, 10_000]);
  assert.deepEqual(sim.inputs, [{ Name: "x" }, { Name: "x" }, { Name: "x" }]);
});

test("s3 BucketExists: a 403 error is success too, reported as the error", async () => {
  const forbidden = serviceError("Forbidden", 403);
  const { promise } = run(waiterConfig("s3", "BucketExists"), [{ throws: forbidden }]);
  const result = await promise;
  assert.equal(result.error, forbidden);
  assert.equal(result.result, undefined);
  assert.equal(result.attempts, 1);
});

test("an error no acceptor matches is thrown as is, at once", async () => {
  const internal = serviceError("InternalError", 500);
  const { sim, promise } = run(waiterConfig("s3", "BucketExists"), [{ throws: notFound }, { throws: internal }]);
  await assert.rejects(promise, (e: unknown) => e === internal);
  assert.equal(sim.attempts, 2);
  assert.deepEqual(sim.sleeps, [5000]);
});

test("s3 BucketExists, never there: the default max wait is delay × maxAttempts (100 s), then WaiterTimeoutError", async () => {
  const { sim, promise } = run(waiterConfig("s3", "BucketExists"), [{ throws: notFound }]);
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof WaiterTimeoutError);
    assert.ok(e instanceof WaiterError);
    assert.equal(e.attempts, 7);
    assert.equal(e.waitedMs, 95_000);
    assert.equal(e.lastError, notFound);
    assert.equal(e.lastResult, undefined);
    assert.equal(e.operation, "HeadBucket");
    assert.deepEqual(e.acceptor, { expected: 404, matcher: "status", state: "retry" });
    assert.match(e.message, /HeadBucket timed out after 7 attempts \(95000 ms\): .*100000 ms.*HTTP status was 404/);
    return true;
  });
  // random 0: minDelay up to the ceiling (log2(120/5) + 1 = 5.6), then the 120 s cap without
  // jitter, cut to land the last attempt minDelay before the end.
  assert.deepEqual(sim.sleeps, [5000, 5000, 5000, 5000, 5000, 70_000]);
  assert.deepEqual(sim.sentAt, [0, 5000, 10_000, 15_000, 20_000, 25_000, 95_000]);
});

test("a delay as long as botocore's gives botocore's attempt count (min = max = delay)", async () => {
  const sim = simulation([{ throws: notFound }]);
  await assert.rejects(
    waitFor(sim.send, waiterConfig("s3", "BucketExists"), {}, { maxDelay: 5000, sleep: sim.sleep, now: sim.now, random: sim.random }),
    (e: unknown) => e instanceof WaiterTimeoutError && e.attempts === 20,
  );
  assert.deepEqual(sim.sleeps, Array(19).fill(5000));
});

test("with jitter the delays grow exponentially and the last one is shortened to fit", async () => {
  const { sim, promise } = run(waiterConfig("s3", "BucketExists"), [{ throws: notFound }], { random: 0.5 });
  await assert.rejects(promise, WaiterTimeoutError);
  // min 5 s, max 120 s, 100 s in all: 5, 7.5, 12.5, 22.5, 42.5, then the cap cut to leave 5 s.
  assert.deepEqual(sim.sleeps, [5000, 7500, 12_500, 22_500, 42_500, 5000]);
  assert.deepEqual(sim.sentAt, [0, 5000, 12_500, 25_000, 47_500, 90_000, 95_000]);
});

test("time the operation itself takes counts against the maximum wait", async () => {
  const { sim, promise } = run(waiterConfig("s3", "BucketExists"), [{ throws: notFound }], { latencyMs: 3000, maxWait: 20_000 });
  await assert.rejects(promise, (e: unknown) => e instanceof WaiterTimeoutError && e.attempts === 3 && e.waitedMs === 18_000);
  assert.deepEqual(sim.sleeps, [5000, 4000]);
});

test("s3 ObjectNotExists: an object that is still there retries; its 404 is success", async () => {
  const gone = serviceError("NotFound", 404);
  const { sim, promise } = run(waiterConfig("s3", "ObjectNotExists"), [{ ok: output({ ContentLength: 1 }) }, { throws: gone }]);
  const result = await promise;
  assert.equal(result.error, gone);
  assert.equal(result.attempts, 2);
  assert.deepEqual(sim.sleeps, [5000]);
});

test("dynamodb TableExists: error code retry, unmatched output retry, then the path matcher's success", async () => {
  const active = output({ Table: { TableName: "t", TableStatus: "ACTIVE" } });
  const { sim, promise } = run(waiterConfig("dynamodb", "TableExists"), [
    { throws: serviceError("ResourceNotFoundException", 400) },
    { ok: output({ Table: { TableName: "t", TableStatus: "CREATING" } }) },
    { ok: active },
  ]);
  const result = await promise;
  assert.equal(result.result, active);
  assert.equal(result.attempts, 3);
  assert.deepEqual(sim.sleeps, [20_000, 20_000]);
});

test("dynamodb TableNotExists: the error code is success", async () => {
  const { promise } = run(waiterConfig("dynamodb", "TableNotExists"), [
    { ok: output({ Table: { TableStatus: "DELETING" } }) },
    { throws: serviceError("ResourceNotFoundException", 400) },
  ]);
  assert.equal((await promise).attempts, 2);
});

function reservations(...states: string[][]) {
  return output({ Reservations: states.map((names) => ({ Instances: names.map((Name) => ({ State: { Name } })) })) });
}

test("ec2 InstanceRunning: pathAll needs every instance running, across reservations", async () => {
  const done = reservations(["running", "running"], ["running"]);
  const { sim, promise } = run(waiterConfig("ec2", "InstanceRunning"), [
    { throws: serviceError("InvalidInstanceID.NotFound", 400) },
    { ok: reservations([]) }, // no instances yet: pathAll needs a non-empty list
    { ok: reservations(["pending"], ["running"]) },
    { ok: done },
  ]);
  const result = await promise;
  assert.equal(result.result, done);
  assert.equal(result.attempts, 4);
  assert.deepEqual(sim.sleeps, [15_000, 15_000, 15_000]);
});

test("ec2 InstanceRunning: pathAny on a failure state ends the wait with WaiterFailureError", async () => {
  const stopping = reservations(["running"], ["pending", "stopping"]);
  const { sim, promise } = run(waiterConfig("ec2", "InstanceRunning"), [{ ok: reservations(["pending"]) }, { ok: stopping }]);
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof WaiterFailureError);
    assert.equal(e.lastResult, stopping);
    assert.equal(e.lastError, undefined);
    assert.equal(e.attempts, 2);
    assert.equal(e.waitedMs, 15_000);
    assert.deepEqual(e.acceptor, { expected: "stopping", matcher: "pathAny", state: "failure", argument: "Reservations[].Instances[].State.Name" });
    assert.match(e.reason, /an element of Reservations\[\]\.Instances\[\]\.State\.Name was "stopping"/);
    return true;
  });
  assert.deepEqual(sim.sleeps, [15_000]);
});

test("acceptors are tried in model order: success pathAll wins over nothing, first failure wins", async () => {
  const { promise } = run(waiterConfig("ec2", "InstanceRunning"), [{ ok: reservations(["terminated", "shutting-down"]) }]);
  await assert.rejects(promise, (e: unknown) => e instanceof WaiterFailureError && e.acceptor?.expected === "shutting-down");
});

test("ec2 KeyPairExists: `length(...) > 0`; a missing list (length of null) is no match, not a crash", async () => {
  const found = output({ KeyPairs: [{ KeyName: "k" }] });
  const { sim, promise } = run(waiterConfig("ec2", "KeyPairExists"), [
    { throws: serviceError("InvalidKeyPair.NotFound", 400) },
    { ok: output({}) },
    { ok: output({ KeyPairs: [] }) },
    { ok: found },
  ]);
  assert.equal((await promise).result, found);
  assert.equal(sim.attempts, 4);
});

test("lambda FunctionExists: `error: false` means any successful output is success", async () => {
  const fn = output({ Configuration: { FunctionName: "f" } });
  const { promise } = run(waiterConfig("lambda", "FunctionExists"), [{ throws: serviceError("ResourceNotFoundException", 404) }, { ok: fn }]);
  const result = await promise;
  assert.equal(result.result, fn);
  assert.equal(result.attempts, 2);
});

const synthetic = (acceptors: WaiterConfig["acceptors"]): WaiterConfig => ({ delay: 2, maxAttempts: 5, operation: "Describe", acceptors });

test("`error: true` matches any service error, and never a non-service error", async () => {
  const config = synthetic([
    { matcher: "error", expected: true, state: "failure" },
    { matcher: "status", expected: 500, state: "retry" },
  ]);
  const throttled = serviceError("Throttling", 400);
  const failed = run(config, [{ ok: output({}) }, { throws: throttled }]);
  await assert.rejects(failed.promise, (e: unknown) => e instanceof WaiterFailureError && e.lastError === throttled && e.cause === throttled);
  const socket = new TypeError("fetch failed");
  const network = run(config, [{ throws: socket }]);
  await assert.rejects(network.promise, (e: unknown) => e === socket);
});

test("status matches an output's $metadata.httpStatusCode as well as an error's", async () => {
  const config = synthetic([{ matcher: "status", expected: 202, state: "success" }]);
  const accepted = output({}, 202);
  const { sim, promise } = run(config, [{ ok: output({}, 200) }, { ok: accepted }]);
  assert.equal((await promise).result, accepted);
  assert.equal(sim.attempts, 2);
});

test("path compares strictly: a boolean or number expected value, and \"1\" is not 1", async () => {
  const config = synthetic([
    { matcher: "path", argument: "Ready", expected: true, state: "success" },
    { matcher: "path", argument: "Code", expected: 1, state: "failure" },
  ]);
  const { sim, promise } = run(config, [{ ok: { Ready: "true", Code: "1" } }, { ok: { Ready: 1 } }, { ok: { Ready: true } }]);
  assert.equal((await promise).attempts, 3);
  assert.equal(sim.sleeps.length, 2);
  const failing = run(config, [{ ok: { Ready: false, Code: 1 } }]);
  await assert.rejects(failing.promise, WaiterFailureError);
});

test("pathAny and pathAll do not match a scalar or an empty list", async () => {
  const config = synthetic([
    { matcher: "pathAll", argument: "States", expected: "ok", state: "success" },
    { matcher: "pathAny", argument: "States", expected: "bad", state: "failure" },
  ]);
  const { sim, promise } = run(config, [{ ok: { States: "ok" } }, { ok: { States: [] } }, { ok: { States: ["ok", "ok"] } }]);
  assert.equal((await promise).attempts, 3);
  assert.equal(sim.attempts, 3);
});

test("path matchers never look at errors: an error matching no other acceptor is thrown", async () => {
  const config = synthetic([{ matcher: "path", argument: "code", expected: "NotFound", state: "retry" }]);
  const error = serviceError("NotFound", 404);
  const { promise } = run(config, [{ throws: error }]);
  await assert.rejects(promise, (e: unknown) => e === error);
});

test("a path that would match null on an error response does not: errors have no output to search", async () => {
  const config = synthetic([{ matcher: "path", argument: "Value == `null`", expected: true, state: "success" }]);
  const error = serviceError("Whatever", 400);
  await assert.rejects(run(config, [{ throws: error }]).promise, (e: unknown) => e === error);
  assert.equal((await run(config, [{ ok: output({}) }]).promise).attempts, 1, "on an output it does match");
});

test("an explicit maxWait bounds the attempts; the last one lands minDelay before the end", async () => {
  const { sim, promise } = run(waiterConfig("s3", "BucketExists"), [{ throws: notFound }], { maxWait: 12_000 });
  await assert.rejects(promise, (e: unknown) => e instanceof WaiterTimeoutError && e.attempts === 3);
  assert.deepEqual(sim.sleeps, [5000, 2000]);
});

test("minDelay and maxDelay options replace the model's delay and the 120 s cap", async () => {
  const sim = simulation([{ throws: notFound }], { random: 0.5 });
  await assert.rejects(
    waitFor(sim.send, waiterConfig("s3", "BucketExists"), {}, {
      minDelay: 1000, maxDelay: 4000, maxWait: 30_000, sleep: sim.sleep, now: sim.now, random: sim.random,
    }),
    WaiterTimeoutError,
  );
  // 1, 1.5, 2.5, then the 4 s cap (ceiling log2(4) + 1 = 3) until 1 s (minDelay) is left.
  assert.deepEqual(sim.sleeps, [1000, 1500, 2500, 4000, 4000, 4000, 4000, 4000, 4000]);
  assert.deepEqual(sim.sentAt, [0, 1000, 2500, 5000, 9000, 13_000, 17_000, 21_000, 25_000, 29_000]);
});

test("abort before the first attempt: the signal's reason, nothing sent", async () => {
  const sim = simulation([{ ok: output({}) }]);
  const reason = new Error("stop");
  await assert.rejects(
    waitFor(sim.send, waiterConfig("s3", "BucketExists"), {}, { signal: AbortSignal.abort(reason), sleep: sim.sleep, now: sim.now }),
    (e: unknown) => e === reason,
  );
  assert.equal(sim.attempts, 0);
});

test("abort while sleeping (real timer): rejects promptly with the signal's reason", async () => {
  const sim = simulation([{ throws: notFound }]);
  const controller = new AbortController();
  const reason = new Error("cancelled");
  setTimeout(() => controller.abort(reason), 20);
  const started = performance.now();
  await assert.rejects(
    waitFor(sim.send, waiterConfig("s3", "BucketExists"), {}, { signal: controller.signal }),
    (e: unknown) => e === reason,
  );
  assert.ok(performance.now() - started < 2000, "the 5 s sleep was cut short");
  assert.equal(sim.attempts, 1);
  assert.equal(sim.signals[0], controller.signal, "the signal reaches send too");
});

test("abort during an attempt: the signal's reason, not whatever send threw", async () => {
  const controller = new AbortController();
  const reason = new Error("cancelled");
  const send = async () => {
    controller.abort(reason);
    throw new Error("socket closed");
  };
  await assert.rejects(waitFor(send, waiterConfig("s3", "BucketExists"), {}, { signal: controller.signal }), (e: unknown) => e === reason);
});

test("the real timer sleeps between attempts (short delays)", async () => {
  const sim = simulation([{ throws: notFound }, { ok: output({}) }]);
  const result = await waitFor(sim.send, waiterConfig("s3", "BucketExists"), {}, { minDelay: 10, maxDelay: 10 });
  assert.equal(result.attempts, 2);
  assert.ok(result.waitedMs >= 9, `waited ${result.waitedMs} ms`);
});

test("configs and options that cannot work fail before any request", async () => {
  const sim = simulation([{ ok: {} }]);
  const base = waiterConfig("s3", "BucketExists");
  await assert.rejects(waitFor(sim.send, base, {}, { minDelay: 5000, maxDelay: 1000 }), RangeError);
  await assert.rejects(waitFor(sim.send, base, {}, { maxWait: 0 }), RangeError);
  await assert.rejects(waitFor(sim.send, { ...base, acceptors: [] }, {}), TypeError);
  const bad = JSON.parse('{"delay":1,"maxAttempts":2,"operation":"X","acceptors":[{"matcher":"exact","expected":1,"state":"success"}]}') as WaiterConfig;
  await assert.rejects(waitFor(sim.send, bad, {}), /unknown matcher exact/);
  await assert.rejects(waitFor(sim.send, synthetic([{ matcher: "path", argument: "a[", expected: 1, state: "success" }]), {}), JmesPathError);
  const noArgument = JSON.parse('{"delay":1,"maxAttempts":2,"operation":"X","acceptors":[{"matcher":"pathAll","expected":1,"state":"success"}]}') as WaiterConfig;
  await assert.rejects(waitFor(sim.send, noArgument, {}), /needs an argument/);
  assert.equal(sim.attempts, 0);
});

test("config types take the models' objects verbatim, including `as const` ones", () => {
  const literal = {
    delay: 15,
    operation: "DescribeInstances",
    maxAttempts: 40,
    description: "synthetic",
    acceptors: [
      { expected: "running", matcher: "pathAll", state: "success", argument: "Reservations[].Instances[].State.Name" },
      { expected: 404, matcher: "status", state: "retry" },
      { matcher: "error", expected: "InvalidInstanceID.NotFound", state: "retry" },
      { matcher: "error", expected: false, state: "success" },
    ],
  } as const satisfies WaiterConfig;
  assert.equal(literal.acceptors.length, 4);
});
