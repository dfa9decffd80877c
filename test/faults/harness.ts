/**
 * The frame every fault scenario runs in.
 *
 *   scenario(name, options, body)   one node:test test per transport listed: a fresh fault
 *                                   server, a handler (the Node handler on undici or on
 *                                   node:http, or the fetch handler) and a context that
 *                                   makes clients aimed at the server. Afterwards, whatever
 *                                   the body did, the checks every scenario shares:
 *     leaks            the pool idle, no client socket once the handler is destroyed, no
 *                      extra socket, server or timer handle at the end (leaks.ts)
 *     rejections       no 'unhandledRejection' while it ran
 *     secrets          no log line and no error the scenario caught holds the secret key,
 *                      the session token or a signature the server received
 *                      (test/support/secret-scanner.ts)
 *   and the result goes into the suite's tally (tally.ts).
 *
 * Waiting is on events (a request arrived, a socket closed, a line logged); the only timers
 * are guards that turn a wait that never ends into a failure, and the clocks of the
 * scenarios about time.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createFetchHttpHandler,
  createNodeHttpHandler,
  createRetryStrategy,
  type ClientConfig,
  type CredentialProvider,
  type Logger,
  type NodeHttpOptions,
} from "@stratus/core";
import { countingTokenProvider } from "../../packages/core/test/support/expiring-token.ts";
import { findSecrets, textsOfError } from "../support/secret-scanner.ts";
import { startFaultServer, type FaultServer } from "./fault-server.ts";
import { clientSockets, clientSocketsGone, handleCounts, tearDown, turns, type HandleCounts } from "./leaks.ts";
import { countLeaks, countPass, countScenario, tracked, unhandledRejections } from "./tally.ts";

export const ACCESS_KEY_ID = "ASIAFAULTSUITEKEY001";
export const SECRET_ACCESS_KEY = "fAuLtSuItE/SeCrEt+KeY0123456789abcdefXYZ";
export const SESSION_TOKEN = "FaultSuiteSessionToken//AbCdEfGhIjKlMnOpQrStUvWxYz0123456789==";

/** The Node handler on undici (the default), the same handler on node:http (its fallback engine), the fetch handler. */
export type TransportKind = "undici" | "node:http" | "fetch";

export const ALL_TRANSPORTS: readonly TransportKind[] = ["undici", "node:http", "fetch"];

export interface ScenarioOptions {
  /** One scenario per transport listed (default: the Node handler on undici only). */
  readonly transports?: readonly TransportKind[] | undefined;
  /** Limits for the handler (both handlers take the same names). */
  readonly http?: Pick<NodeHttpOptions, "connectTimeout" | "requestTimeout" | "idleTimeout"> | undefined;
}

export interface ClientOptions {
  readonly maxAttempts?: number | undefined;
  readonly credentials?: ClientConfig["credentials"];
  readonly endpoint?: string | undefined;
  readonly extra?: ClientConfig | undefined;
}

export interface ScenarioContext {
  readonly server: FaultServer;
  readonly transport: TransportKind;
  /** Config for a client aimed at the fault server: keys with a session token, a fast retry strategy, this handler, a collecting logger, no environment. */
  config(options?: ClientOptions): ClientConfig;
  /** Registers a client to destroy when the scenario ends. */
  own<T extends { destroy(): Promise<void> }>(client: T): T;
  /** Awaits a promise that must reject; returns (and keeps, for the secret scan) the error. */
  rejection(promise: Promise<unknown>): Promise<unknown>;
  /** A credential provider that counts its calls and hands out a new session token each time. */
  refreshingCredentials(): CredentialProvider & { readonly resolved: number };
  /** Waits for `promise`, failing the scenario if it takes longer than a generous guard. */
  within<T>(promise: Promise<T>, what: string, guardMs?: number): Promise<T>;
  /** Waits until request `index`'s connection has closed (the client released it). */
  released(index: number): Promise<void>;
  /**
   * Waits until this process holds no client socket beyond those it held before the
   * scenario: the client's view, for a peer that cannot see the close (an upload it never
   * read, whose FIN waits behind the unsent bytes).
   */
  clientSocketsClosed(): Promise<void>;
  /** Lines the clients logged. */
  readonly logLines: readonly string[];
  /** Resolves when a client logs a line matching `pattern` (e.g. a retry decision). */
  logged(pattern: RegExp): Promise<void>;
}

/** A retry strategy with a backoff of a few milliseconds, so retried scenarios do not sleep for seconds. */
export function fastRetry(maxAttempts: number): ReturnType<typeof createRetryStrategy> {
  return createRetryStrategy({ mode: "standard", maxAttempts }, { backoff: { baseMs: 1, maxMs: 4 } });
}

export function scenario(name: string, options: ScenarioOptions, body: (ctx: ScenarioContext) => Promise<void>): void {
  for (const transport of options.transports ?? ["undici"]) {
    countScenario();
    test(`[${transport}] ${name}`, () => tracked(runScenario(transport, options, body)));
  }
}

async function runScenario(transport: TransportKind, options: ScenarioOptions, body: (ctx: ScenarioContext) => Promise<void>): Promise<void> {
  const before = handleCounts();
  const rejectionsBefore = unhandledRejections().length;
  const server = await startFaultServer();
  const handler = transport === "fetch" ? createFetchHttpHandler(options.http) : createNodeHttpHandler({ ...options.http, engine: transport });
  const clients: Array<{ destroy(): Promise<void> }> = [];
  const errors: unknown[] = [];
  const log = collectingLogger();
  const ctx = makeContext({ server, transport, handlerConfig: { handler }, clients, errors, log, before });

  let failure: unknown;
  try {
    await body(ctx);
  } catch (error) {
    failure = error;
  }
  const leaks = await tearDown(server, handler, transport !== "fetch", clients, before);
  countLeaks(leaks);
  // A dropped rejection is reported after the microtasks of the turn that dropped it.
  await turns(2);
  const newRejections = unhandledRejections().slice(rejectionsBefore);
  if (failure !== undefined) throw failure;

  assert.equal(leaks.poolProblem, undefined, leaks.poolProblem);
  assert.equal(leaks.sockets, 0, `${leaks.sockets} TCP socket(s) outlived the scenario`);
  assert.equal(leaks.timers, 0, `${leaks.timers} timer(s) outlived the scenario`);
  assert.equal(leaks.servers, 0, `${leaks.servers} server(s) outlived the scenario`);
  assert.deepEqual(newRejections, [], "no unhandled rejection");

  const signatures = server.requests
    .map((request) => /Signature=([0-9a-f]{64})/.exec(String(request.headers["authorization"] ?? ""))?.[1])
    .filter((signature): signature is string => signature !== undefined);
  const texts = [...log.lines, ...errors.flatMap((error) => textsOfError(error))];
  assert.deepEqual(findSecrets(texts, [SECRET_ACCESS_KEY, SESSION_TOKEN, ...signatures]), [], "no secret in logs or errors");
  countPass();
}

interface CollectingLogger {
  readonly logger: Logger;
  readonly lines: readonly string[];
  logged(pattern: RegExp): Promise<void>;
}

/** A logger that keeps every line (for the secret scan) and tells waiters when a line they await arrives. */
function collectingLogger(): CollectingLogger {
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: () => void }>();
  const record = (level: string) => (message: string, details?: Readonly<Record<string, unknown>>): void => {
    const line = `${level} ${message} ${JSON.stringify(details ?? {})}`;
    lines.push(line);
    for (const waiter of waiters) {
      if (!waiter.pattern.test(line)) continue;
      waiters.delete(waiter);
      waiter.resolve();
    }
  };
  return {
    logger: { debug: record("debug"), warn: record("warn") },
    lines,
    logged: (pattern) =>
      lines.some((line) => pattern.test(line)) ? Promise.resolve() : new Promise((resolve) => waiters.add({ pattern, resolve })),
  };
}

interface ContextParts {
  readonly server: FaultServer;
  readonly transport: TransportKind;
  readonly handlerConfig: NonNullable<ClientConfig["http"]>;
  readonly clients: Array<{ destroy(): Promise<void> }>;
  readonly errors: unknown[];
  readonly log: CollectingLogger;
  readonly before: HandleCounts;
}

function makeContext({ server, transport, handlerConfig, clients, errors, log, before }: ContextParts): ScenarioContext {
  const within = async <T>(promise: Promise<T>, what: string, guardMs = 10_000): Promise<T> => {
    let guard: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        promise,
        new Promise<never>((_, reject) => {
          guard = setTimeout(() => reject(new Error(`${what}: still waiting after ${guardMs} ms`)), guardMs);
        }),
      ]);
    } finally {
      clearTimeout(guard);
    }
  };
  return {
    server,
    transport,
    logLines: log.lines,
    logged: (pattern) => within(log.logged(pattern), `a log line matching ${pattern}`),
    config(options = {}) {
      return {
        region: "us-east-1",
        endpoint: options.endpoint ?? server.url,
        credentials: options.credentials ?? { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, sessionToken: SESSION_TOKEN },
        env: {},
        retryStrategy: fastRetry(options.maxAttempts ?? 3),
        http: handlerConfig,
        logger: log.logger,
        ...options.extra,
      };
    },
    own(client) {
      clients.push(client);
      return client;
    },
    async rejection(promise) {
      const error = await within(
        promise.then(
          (value) => {
            throw new assert.AssertionError({ message: "expected the call to fail", actual: value });
          },
          (error: unknown) => error,
        ),
        "the failing call",
      );
      errors.push(error);
      return error;
    },
    refreshingCredentials: () =>
      countingTokenProvider({ name: "fault-suite-refreshing", accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, tokenPrefix: SESSION_TOKEN }),
    within,
    released(index) {
      const request = server.requests[index];
      if (!request) throw new Error(`no request ${index}`);
      return within(request.socketClosed, `the connection of request ${index} to close`);
    },
    async clientSocketsClosed() {
      if (!(await clientSocketsGone(server, before))) throw new Error(`${clientSockets(server, before)} client socket(s) still open`);
    },
  };
}
