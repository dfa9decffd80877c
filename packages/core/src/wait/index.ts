/**
 * Waiters: one generic poller driven by botocore's waiters-2.json entries, with smithy's
 * backoff.
 *
 *   config.ts     the entry's shape (botocore's key names) and acceptor checks
 *   matchers.ts   path / pathAll / pathAny / status / error against one attempt
 *   delay.ts      the smithy backoff between attempts
 *   waiter.ts     waitFor()
 *   errors.ts     WaiterError, WaiterFailureError, WaiterTimeoutError
 */
export {
  DEFAULT_MAX_DELAY_MS,
  waitFor,
  type WaiterResult,
  type WaiterSendOptions,
  type WaitOptions,
} from "./waiter.ts";
export type {
  WaiterAcceptor,
  WaiterConfig,
  WaiterErrorAcceptor,
  WaiterMatcher,
  WaiterPathAcceptor,
  WaiterState,
  WaiterStatusAcceptor,
} from "./config.ts";
export { waiterDelay, type BackoffInput } from "./delay.ts";
export { WaiterError, WaiterFailureError, WaiterTimeoutError, type WaiterErrorDetails } from "./errors.ts";
