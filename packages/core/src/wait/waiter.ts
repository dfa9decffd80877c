/**
 * `waitFor()`: polls `send` until an acceptor of a waiters-2.json entry says success or
 * failure, or the maximum wait runs out. Like the paginator it takes the operation as a
 * plain function and the model entry as data, so it serves every generated waiter.
 *
 * Timing follows smithy (see delay.ts), not botocore's fixed `delay` × `maxAttempts`:
 * the model's `delay` becomes the minimum delay, the maximum delay defaults to 120 s, and
 * the maximum wait defaults to `delay × maxAttempts`, i.e. the time botocore's waiter would
 * take at most (with the backoff, that time is spent on fewer attempts). The first attempt
 * is made at once. Clock, sleep and randomness are injectable so tests run in no time.
 *
 * After each attempt:
 *   a success acceptor matched      -> resolve { state: "success", result | error, ... }
 *   a failure acceptor matched      -> WaiterFailureError
 *   a retry acceptor matched, or
 *   an output matched nothing       -> wait, unless the maximum wait is reached:
 *                                      WaiterTimeoutError
 *   an error matched nothing        -> thrown as is (smithy: a failure; botocore wraps it)
 *   the signal was aborted          -> the signal's reason, also while sleeping
 */
import type { ServiceError } from "../errors/service-error.ts";
import { compileAcceptors, explainAcceptor, type WaiterAcceptor, type WaiterConfig } from "./config.ts";
import { waiterDelay } from "./delay.ts";
import { WaiterFailureError, WaiterTimeoutError, type WaiterErrorDetails } from "./errors.ts";
import { firstMatch, type Outcome } from "./matchers.ts";
import { sleep as abortableSleep } from "../abort/index.ts";

export interface WaiterSendOptions {
  readonly signal?: AbortSignal | undefined;
}

export interface WaitOptions {
  /** Milliseconds before giving up; default: the model's delay × maxAttempts. */
  readonly maxWait?: number | undefined;
  /** Milliseconds; default: the model's delay. */
  readonly minDelay?: number | undefined;
  /** Milliseconds; default 120 000. */
  readonly maxDelay?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Default: a timer that rejects with the signal's reason on abort. */
  readonly sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  /** Milliseconds from any fixed origin; default: performance.now (immune to clock changes). */
  readonly now?: (() => number) | undefined;
  /** Uniform in [0, 1); default Math.random. */
  readonly random?: (() => number) | undefined;
}

export interface WaiterResult<O> {
  readonly state: "success";
  /** The output that matched, when success came from an output. */
  readonly result?: O | undefined;
  /** The service error that matched, when success came from an error (e.g. ObjectNotExists). */
  readonly error?: ServiceError | undefined;
  readonly attempts: number;
  readonly waitedMs: number;
}

export const DEFAULT_MAX_DELAY_MS = 120_000;

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number of milliseconds, got ${value}`);
  return value;
}

/**
 * Waits until the resource that `send(input)` describes reaches the state the waiter
 * `config` (a waiters-2.json entry) defines as success. See the module header for outcomes.
 */
export async function waitFor<I, O>(
  send: (input: I, options: WaiterSendOptions) => Promise<O>,
  config: WaiterConfig,
  input: I,
  options: WaitOptions = {},
): Promise<WaiterResult<O>> {
  const acceptors = compileAcceptors(config);
  const minDelay = positive("minDelay", options.minDelay ?? config.delay * 1000);
  const maxDelay = positive("maxDelay", options.maxDelay ?? Math.max(DEFAULT_MAX_DELAY_MS, minDelay));
  if (maxDelay < minDelay) throw new RangeError(`maxDelay (${maxDelay} ms) is less than minDelay (${minDelay} ms)`);
  const maxWait = positive("maxWait", options.maxWait ?? config.delay * config.maxAttempts * 1000);
  const { signal } = options;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? (() => performance.now());
  const random = options.random ?? Math.random;

  const start = now();
  let attempts = 0;
  let lastRetry: WaiterAcceptor | undefined;
  for (;;) {
    signal?.throwIfAborted();
    attempts++;
    let outcome: Outcome<O>;
    try {
      outcome = { ok: true, output: await send(input, { signal }) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    // Whatever `send` made of an abort (an AbortError, a socket error), the caller gets the reason.
    signal?.throwIfAborted();

    const matched = firstMatch(acceptors, outcome);
    const details = (reason: string, acceptor: WaiterAcceptor | undefined): WaiterErrorDetails => ({
      operation: config.operation,
      reason,
      attempts,
      waitedMs: now() - start,
      acceptor,
      ...(outcome.ok ? { lastResult: outcome.output } : { lastError: outcome.error }),
    });
    if (matched === undefined && !outcome.ok) throw outcome.error;
    if (matched?.acceptor.state === "success") {
      return {
        state: "success",
        ...(outcome.ok ? { result: outcome.output } : { error: outcome.error as ServiceError }),
        attempts,
        waitedMs: now() - start,
      };
    }
    if (matched?.acceptor.state === "failure") {
      throw new WaiterFailureError(details(`reached a failure state: ${explainAcceptor(matched.acceptor)}`, matched.acceptor));
    }
    if (matched !== undefined) lastRetry = matched.acceptor;

    const delay = waiterDelay({ attempt: attempts, minDelay, maxDelay, remaining: maxWait - (now() - start), random });
    if (delay === undefined) {
      const last = lastRetry === undefined ? "" : `; last state seen: ${explainAcceptor(lastRetry)}`;
      throw new WaiterTimeoutError(details(`the maximum wait of ${maxWait} ms was reached${last}`, lastRetry));
    }
    await sleep(delay, signal);
    signal?.throwIfAborted();
  }
}
