/**
 * What a scenario may leave behind, and the teardown that looks for it:
 *
 *   1. pool idle        the Node handler's stats(): nothing running or pending, every open
 *                       socket free (undici frees a socket a turn or two after the last byte)
 *   2. destroy          the clients, then the handler
 *   3. client sockets   none left once the handler is destroyed, before the server closes
 *                       anything: the client let go by itself (every TCP handle of the
 *                       process minus the fault server's own, against the count before)
 *   4. handles          once the server is closed too, no more TCP sockets, servers or
 *                       (ref'd) timers in process.getActiveResourcesInfo() than before
 *
 * Where the runtime gives no event (a socket marked free, a closed handle leaving the
 * list) this yields a bounded number of event-loop turns; it never sleeps.
 */
import type { HttpHandler } from "@stratus/core";
import type { FaultServer } from "./fault-server.ts";

export interface HandleCounts {
  readonly sockets: number;
  readonly servers: number;
  readonly timers: number;
}

export interface Leaks {
  readonly sockets: number;
  readonly timers: number;
  readonly servers: number;
  /** What was wrong with the pool or the client's sockets before the server closed, if anything. */
  readonly poolProblem: string | undefined;
}

export function handleCounts(): HandleCounts {
  const counts = { sockets: 0, servers: 0, timers: 0 };
  for (const name of process.getActiveResourcesInfo()) {
    if (name === "TCPSocketWrap" || name === "TLSWrap") counts.sockets++;
    else if (name === "TCPServerWrap") counts.servers++;
    else if (name === "Timeout") counts.timers++;
  }
  return counts;
}

/** TCP handles that are neither the fault server's nor there before the scenario. */
export function clientSockets(server: FaultServer, before: HandleCounts): number {
  return handleCounts().sockets - server.openSockets - before.sockets;
}

/** Whether the client sockets are gone, after a bounded number of turns for handles to close. */
export async function clientSocketsGone(server: FaultServer, before: HandleCounts): Promise<boolean> {
  for (let turn = 0; turn < 1_000 && clientSockets(server, before) > 0; turn++) await turns(1);
  return clientSockets(server, before) <= 0;
}

export async function tearDown(
  server: FaultServer,
  handler: HttpHandler,
  pooled: boolean,
  clients: ReadonlyArray<{ destroy(): Promise<void> }>,
  before: HandleCounts,
): Promise<Leaks> {
  let poolProblem: string | undefined;
  let clientLeft = 0;
  try {
    if (pooled) poolProblem = await idleProblem(handler);
    for (const client of clients) await client.destroy();
    await handler.destroy?.();
    // A request the script left unread is read now, or its client's close goes unseen.
    server.readUnread();
    // fetch's pool is the runtime's: its idle sockets go when the server closes them.
    if (pooled && !(await clientSocketsGone(server, before))) {
      clientLeft = clientSockets(server, before);
      poolProblem ??= `${clientLeft} client socket(s) still open after the handler was destroyed`;
    }
  } finally {
    await server.close();
  }
  let now = handleCounts();
  for (let turn = 0; turn < 500 && exceeds(now, before); turn++) {
    await turns(1);
    now = handleCounts();
  }
  return {
    sockets: Math.max(clientLeft, now.sockets - before.sockets),
    timers: Math.max(0, now.timers - before.timers),
    servers: Math.max(0, now.servers - before.servers),
    poolProblem,
  };
}

async function idleProblem(handler: HttpHandler): Promise<string | undefined> {
  const busy = (stats: ReturnType<NonNullable<HttpHandler["stats"]>>): boolean => stats.running > 0 || stats.pending > 0 || stats.free !== stats.connected;
  let stats = handler.stats?.();
  for (let turn = 0; turn < 200 && stats && busy(stats); turn++) {
    await turns(1);
    stats = handler.stats?.();
  }
  return stats && busy(stats) ? `the pool is not idle after the scenario: ${JSON.stringify(stats)}` : undefined;
}

function exceeds(now: HandleCounts, before: HandleCounts): boolean {
  return now.sockets > before.sockets || now.servers > before.servers || now.timers > before.timers;
}

/** `count` turns of the event loop (setImmediate), for what the runtime finishes without an event. */
export function turns(count: number): Promise<void> {
  return new Promise((resolve) => {
    let left = count;
    const next = (): void => {
      if (--left <= 0) resolve();
      else setImmediate(next);
    };
    setImmediate(next);
  });
}
