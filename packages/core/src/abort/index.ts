/**
 * The two ways the core waits on something a caller may abort, written once:
 *
 *   sleep(ms, signal)            a timer that rejects with the signal's reason the moment
 *                                it aborts (and clears itself, so no handle outlives it)
 *   abandonable(promise, signal) the caller stops waiting on abort, with its reason; the
 *                                promise itself runs on (it may be shared, e.g. a credential
 *                                refresh other callers still wait for) and its outcome, once
 *                                abandoned, is dropped (handled, so never an unhandled rejection)
 *
 * Both reject with `signal.reason` as given, so the caller's own error (or the call's
 * TimeoutError) is what surfaces, never a generic AbortError made here.
 */

export function sleep(ms: number, signal?: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Waits on `promise` until `signal` aborts, then rejects with `signal.reason`. The promise is
 * not cancelled: it runs on, and an outcome nobody waits for any more is handled, never unhandled.
 */
export function abandonable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
