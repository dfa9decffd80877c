/**
 * How a wait ends other than in success. Both carry what botocore's WaiterError carries
 * (the reason and the last response) plus the attempt count and the time waited, so a
 * caller can log why a resource never became ready without re-running the call. The last
 * outcome is split in two: `lastResult` for an output, `lastError` for a thrown error.
 *
 * An error that no acceptor matched is not wrapped in either: it is thrown as `send` threw
 * it (an AccessDenied should read as an AccessDenied). An abort rejects with the signal's
 * reason, like every other abortable call in the core.
 */
import { StratusError } from "../errors/index.ts";
import type { WaiterAcceptor } from "./config.ts";

export interface WaiterErrorDetails {
  readonly operation: string;
  readonly reason: string;
  readonly attempts: number;
  readonly waitedMs: number;
  readonly lastResult?: unknown;
  readonly lastError?: unknown;
  /** The acceptor that ended the wait (failure) or matched last (timeout), if any. */
  readonly acceptor?: WaiterAcceptor | undefined;
}

export class WaiterError extends StratusError {
  override name = "WaiterError";
  readonly operation: string;
  readonly reason: string;
  readonly attempts: number;
  readonly waitedMs: number;
  /** The output of the last attempt, when it did not throw. */
  readonly lastResult: unknown;
  /** What the last attempt threw, when it threw. */
  readonly lastError: unknown;
  readonly acceptor: WaiterAcceptor | undefined;

  constructor(summary: string, details: WaiterErrorDetails) {
    const options = details.lastError === undefined ? undefined : { cause: details.lastError };
    super(
      `waiting on ${details.operation} ${summary} after ${details.attempts} attempt${details.attempts === 1 ? "" : "s"} ` +
        `(${Math.round(details.waitedMs)} ms): ${details.reason}`,
      options,
    );
    this.operation = details.operation;
    this.reason = details.reason;
    this.attempts = details.attempts;
    this.waitedMs = details.waitedMs;
    this.lastResult = details.lastResult;
    this.lastError = details.lastError;
    this.acceptor = details.acceptor;
  }
}

/** A "failure" acceptor matched: the resource will not reach the state waited for. */
export class WaiterFailureError extends WaiterError {
  override name = "WaiterFailureError";
  constructor(details: WaiterErrorDetails) {
    super("failed", details);
  }
}

/** The maximum wait passed (or would pass before the next attempt) without success. */
export class WaiterTimeoutError extends WaiterError {
  override name = "WaiterTimeoutError";
  constructor(details: WaiterErrorDetails) {
    super("timed out", details);
  }
}
