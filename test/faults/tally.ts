/**
 * The suite's count, kept for the whole test process: scenarios registered and passed,
 * sockets and timers they left behind, and every unhandled rejection (counted by the
 * listener itself, so one that makes node:test end its test early is still counted).
 *
 *   fault suite: N scenarios, N pass, leaked sockets N, leaked timers N, unhandled rejections N
 */

const tally = { scenarios: 0, passed: 0, leakedSockets: 0, leakedTimers: 0, unhandledRejections: 0 };

const unhandled: unknown[] = [];
process.on("unhandledRejection", (reason) => {
  unhandled.push(reason);
  tally.unhandledRejections++;
});

/** Scenarios still running their checks: the summary waits for them. */
const running = new Set<Promise<unknown>>();

export function countScenario(): void {
  tally.scenarios++;
}

export function countPass(): void {
  tally.passed++;
}

export function countLeaks(leaks: { readonly sockets: number; readonly timers: number }): void {
  tally.leakedSockets += leaks.sockets;
  tally.leakedTimers += leaks.timers;
}

/** Every unhandled rejection so far; a scenario compares the list before and after itself. */
export function unhandledRejections(): readonly unknown[] {
  return unhandled;
}

/** Runs a scenario's promise to the end, so the summary does not print before its checks are counted. */
export function tracked<T>(run: Promise<T>): Promise<T> {
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  running.add(settled);
  void settled.then(() => running.delete(settled));
  return run;
}

export function summaryLine(): string {
  return (
    `fault suite: ${tally.scenarios} scenarios, ${tally.passed} pass, leaked sockets ${tally.leakedSockets}, ` +
    `leaked timers ${tally.leakedTimers}, unhandled rejections ${tally.unhandledRejections}`
  );
}

/** Prints the summary line once every scenario has finished its checks. */
export async function printSummary(): Promise<void> {
  await Promise.allSettled([...running]);
  console.log(summaryLine());
}
