/**
 * One call's abort signal and deadline. Everything a call waits on (the client's settings,
 * credentials, a send token, the backoff sleep, the socket, the body) waits on
 * `scope.signal`, which fires for one of two reasons, each a typed error:
 *
 *   the caller's `signal` aborted   → AbortError carrying the caller's reason
 *   the call's `timeout` ran out    → TimeoutError "call"
 *
 * and whatever fails after that is reported as that reason, not as the socket error it
 * caused (`scope.failure(error)`). The deadline covers the call until `send` resolves: for
 * a streamed output that is when the headers arrived; reading the stream afterwards is
 * bounded by the idle timeout and can still be stopped with the caller's signal, which stays
 * linked to the body until it is read or cancelled (`close(true)`, then `release()`).
 *
 * The timer is a plain setTimeout cleared when the call ends, so no timer outlives a call.
 */
import { AbortError, StratusError, TimeoutError } from "../errors/index.ts";
import { sleep } from "../abort/index.ts";

export interface CallOptions {
  /** Aborts the call: every attempt, the backoff between them, and a streamed body. */
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds for the whole call, retries included (until `send` resolves). */
  readonly timeout?: number | undefined;
}

export class CallScope {
  readonly #controller = new AbortController();
  readonly #callerSignal: AbortSignal | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onCallerAbort = (): void => {
    this.#controller.abort(new AbortError(this.#callerSignal?.reason));
  };

  constructor(options: CallOptions = {}) {
    const { signal, timeout } = options;
    if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0 && Number.isFinite(timeout))) {
      throw new StratusError(`the call's timeout must be a positive number of milliseconds; got ${String(timeout)}`);
    }
    this.#callerSignal = signal;
    if (signal?.aborted) {
      this.#onCallerAbort();
    } else {
      signal?.addEventListener("abort", this.#onCallerAbort, { once: true });
      if (timeout !== undefined) {
        this.#timer = setTimeout(() => this.#controller.abort(new TimeoutError("call", timeout)), timeout);
      }
    }
  }

  /** Fires with an AbortError or the call's TimeoutError as its reason. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Throws the reason if the call is already over. */
  check(): void {
    if (this.signal.aborted) throw this.signal.reason;
  }

  /** What to report for `error`: the call's own reason once it was aborted or timed out. */
  failure(error: unknown): unknown {
    return this.signal.aborted ? this.signal.reason : error;
  }

  /** Waits `ms` milliseconds, or rejects with the reason as soon as the call is aborted. */
  sleep(ms: number): Promise<void> {
    this.check();
    return sleep(ms, this.signal);
  }

  /**
   * The call is over: stops the deadline. With `keepSignal` (a streamed body is still out)
   * the caller's signal stays linked until `release()`.
   */
  close(keepSignal = false): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!keepSignal) this.release();
  }

  /** Unlinks the caller's signal (the streamed body was read or cancelled). */
  release(): void {
    this.#callerSignal?.removeEventListener("abort", this.#onCallerAbort);
  }
}
