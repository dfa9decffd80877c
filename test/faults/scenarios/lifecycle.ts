/**
 * The call's life around its faults: an abort or the call's deadline while it sleeps
 * between attempts (the backoff timer must go with it), and many calls at once, each
 * first attempt hit by a different fault, ending with every call answered and the pool
 * idle.
 */
import assert from "node:assert/strict";
import { AbortError, TimeoutError } from "@stratus/core";
import { dynamodb } from "../clients.ts";
import { metadataOf } from "../assertions.ts";
import { choose, hang, resetBeforeHeaders, resetMidBody, respond, stallBody, truncate, type Behaviour } from "../fault-server.ts";
import { ALL_TRANSPORTS, scenario } from "../harness.ts";
import { htmlStatus, ITEM, jsonError, jsonOk } from "../replies.ts";

/** Generous: 48 requests and their server share one loaded event loop, and a retry must beat the limit. */
const LIMIT_MS = 1_000;
const RETRY_DECIDED = /attempt 1 failed .*"retry":true/;

export function lifecycleScenarios(): void {
  scenario("the caller aborts during the backoff a Retry-After asked for: AbortError at once, the sleep's timer gone", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(respond(jsonError(400, "ThrottlingException", { "retry-after": "5" })));
    const controller = new AbortController();
    const call = dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "x" } } }, { signal: controller.signal });
    await ctx.logged(RETRY_DECIDED);
    controller.abort("not waiting 5 s");
    const error = await ctx.rejection(call);
    assert.ok(error instanceof AbortError, String(error));
    assert.equal(error.reason, "not waiting 5 s");
    assert.equal(metadataOf(error).attempts, 1);
    assert.equal(metadataOf(error).totalRetryDelay, 0, "the wait was cut short");
    assert.equal(ctx.server.requests.length, 1);
  });

  scenario("the call's deadline falls during the backoff: TimeoutError 'call', no second attempt", {}, async (ctx) => {
    ctx.server.script(respond(jsonError(503, "ServiceUnavailable", { "retry-after": "5" })));
    const error = await ctx.rejection(dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "x" } } }, { timeout: 400 }));
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.timeout, "call");
    assert.equal(metadataOf(error).attempts, 1);
    assert.equal(ctx.server.requests.length, 1);
  });

  scenario(
    "24 concurrent calls, each first attempt hit by one of eight faults: all answered on attempt 2, the pool idle after",
    { transports: ALL_TRANSPORTS, http: { requestTimeout: LIMIT_MS, idleTimeout: LIMIT_MS } },
    async (ctx) => {
      const faults: Behaviour[] = [
        resetBeforeHeaders(),
        resetMidBody(jsonOk({ Item: ITEM }), 40),
        truncate(jsonOk({ Item: ITEM }), 40),
        respond(jsonError(500, "InternalServerError")),
        respond(htmlStatus(503)),
        respond(jsonError(400, "ThrottlingException")),
        stallBody(jsonOk({ Item: ITEM }), 40),
        hang(),
      ];
      const calls = 24;
      let next = 0;
      ctx.server.script(
        ...Array.from({ length: 2 * calls }, () =>
          choose((request) => (/^attempt=1;/.test(String(request.headers["amz-sdk-request"])) ? (faults[next++ % faults.length] ?? hang()) : respond(jsonOk({ Item: ITEM })))),
        ),
      );
      const client = dynamodb(ctx, { maxAttempts: 2 });
      const outs = await Promise.all(Array.from({ length: calls }, (_, i) => client.getItem({ TableName: "t", Key: { id: { S: `item-${i}` } } })));
      assert.ok(outs.every((out) => metadataOf(out).attempts === 2 && out.Item !== undefined));
      assert.equal(ctx.server.requests.length, 2 * calls);
      // Each call's retry is its own first request again.
      for (let i = 0; i < calls; i++) {
        const mine = ctx.server.requests.filter((request) => request.body.toString().includes(`"item-${i}"`));
        assert.equal(mine.length, 2, `call ${i}`);
        assert.equal(mine[0]?.body.toString("hex"), mine[1]?.body.toString("hex"));
        assert.equal(mine[0]?.headers["amz-sdk-invocation-id"], mine[1]?.headers["amz-sdk-invocation-id"]);
      }
      // The pool's state is checked by the harness once the scenario returns.
    },
  );
}
