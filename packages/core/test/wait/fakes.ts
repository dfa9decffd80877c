/**
 * A simulated clock and a scripted operation for the waiter tests: `sleep` advances the
 * clock instead of waiting, every sleep is recorded, and `send` answers (or throws) from a
 * script, optionally taking time itself.
 */
import { ServiceError } from "../../src/errors/service-error.ts";
import type { WaiterSendOptions } from "../../src/wait/index.ts";

export function serviceError(code: string, status: number): ServiceError {
  return new ServiceError({
    code,
    fault: status >= 500 ? "server" : "client",
    metadata: { httpStatusCode: status, attempts: 1, totalRetryDelay: 0 },
  });
}

/** An output as a client would return it, with its status in $metadata. */
export function output<T extends object>(body: T, status = 200): T & { $metadata: { httpStatusCode: number; attempts: number; totalRetryDelay: number } } {
  return { ...body, $metadata: { httpStatusCode: status, attempts: 1, totalRetryDelay: 0 } };
}

export type Step = { readonly ok: unknown } | { readonly throws: unknown };

export function simulation(script: readonly Step[], options: { latencyMs?: number; random?: number } = {}) {
  let clock = 1_000_000; // any origin: only differences count
  const sleeps: number[] = [];
  const sentAt: number[] = [];
  const inputs: unknown[] = [];
  const signals: Array<AbortSignal | undefined> = [];
  let next = 0;
  return {
    sleeps,
    sentAt,
    inputs,
    signals,
    get attempts() {
      return next;
    },
    now: () => clock,
    sleep: async (ms: number) => {
      // A broken deadline would otherwise spin forever on microtasks, where no test
      // timeout can fire.
      if (sleeps.length >= 1000) throw new Error("runaway waiter: 1000 sleeps");
      sleeps.push(ms);
      clock += ms;
    },
    random: () => options.random ?? 0,
    start: clock,
    send: async (input: unknown, sendOptions: WaiterSendOptions): Promise<unknown> => {
      inputs.push(input);
      signals.push(sendOptions.signal);
      sentAt.push(clock - 1_000_000);
      clock += options.latencyMs ?? 0;
      // Past the script, repeat its last step: "still not ready".
      const step = script[Math.min(next++, script.length - 1)];
      if (step === undefined) throw new Error("empty script");
      if ("throws" in step) throw step.throws;
      return step.ok;
    },
  };
}
