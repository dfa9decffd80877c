/**
 * A loopback HTTP server that misbehaves on purpose, one scripted behaviour per request:
 * what no real peer (s3rver, dynalite) can be made to do. A test queues behaviours, sends,
 * and reads back every request exactly as it arrived.
 *
 *   respond(reply)              a whole answer: any status, headers (Retry-After, a skewed
 *                               Date…) and body
 *   resetBeforeHeaders()        the request is read, then the connection is reset (RST)
 *   resetMidBody(reply, n)      status, headers and the first n body bytes, then a reset
 *   truncate(reply, n)          Content-Length says the whole body; n bytes come, then a
 *                               clean close (FIN)
 *   stallBody(reply, n)         status, headers and n body bytes, then nothing, ever
 *   hang()                      the request is read and never answered
 *   hangUnread()                not even the request body is read (recorded empty)
 *   choose(request => b)        decides on seeing the request (its signing date, its
 *                               session token)
 *
 * A request beyond the script is answered 599 "script exhausted", so a scenario that sends
 * more than it planned fails on its own assertions. "Refuse connections" needs no server:
 * `refusedPort()` binds a port and closes it again.
 *
 * `stalledReset(i)` resets request i's connection later, when the test decides (a streamed
 * body whose headers the client has already seen). Every connection the server accepted is
 * tracked, so a test can wait for the client to close its sockets (`whenSocketsClosed`) and
 * `close()` leaves no handle behind.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from "node:net";

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: string | Uint8Array | undefined;
}

export type Behaviour =
  | { readonly kind: "respond"; readonly reply: Reply }
  | { readonly kind: "reset-before-headers" }
  | { readonly kind: "reset-mid-body"; readonly reply: Reply; readonly bytes: number }
  | { readonly kind: "truncate"; readonly reply: Reply; readonly bytes: number }
  | { readonly kind: "stall-body"; readonly reply: Reply; readonly bytes: number }
  | { readonly kind: "hang" }
  | { readonly kind: "hang-unread" }
  | { readonly kind: "choose"; readonly choose: (request: Pick<RecordedRequest, "method" | "url" | "headers" | "body">) => Behaviour };

export const respond = (reply: Reply): Behaviour => ({ kind: "respond", reply });
export const resetBeforeHeaders = (): Behaviour => ({ kind: "reset-before-headers" });
export const resetMidBody = (reply: Reply, bytes: number): Behaviour => ({ kind: "reset-mid-body", reply, bytes: partOf(reply, bytes) });
export const truncate = (reply: Reply, bytes: number): Behaviour => ({ kind: "truncate", reply, bytes: partOf(reply, bytes) });
export const stallBody = (reply: Reply, bytes: number): Behaviour => ({ kind: "stall-body", reply, bytes: partOf(reply, bytes) });
export const hang = (): Behaviour => ({ kind: "hang" });
/** Never answers and never reads the request body: an upload that stalls once the socket's buffers are full. */
export const hangUnread = (): Behaviour => ({ kind: "hang-unread" });
/** Decides on seeing the request (a server that checks the signing date or the session token). */
export const choose = (fn: (request: Pick<RecordedRequest, "method" | "url" | "headers" | "body">) => Behaviour): Behaviour => ({ kind: "choose", choose: fn });

/** A partial body must stop short of the whole one, or the fault would not happen. */
function partOf(reply: Reply, bytes: number): number {
  const size = bytesOf(reply.body).byteLength;
  if (!(bytes >= 0 && bytes < size)) throw new RangeError(`a partial body of ${bytes} bytes needs a body longer than that (${size} bytes)`);
  return bytes;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  /** Name/value pairs in the order and case they were sent. */
  readonly rawHeaders: ReadonlyArray<readonly [string, string]>;
  /** Lower-case names (node:http's view). */
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
  /** Resolves when the connection this request came on has closed. */
  readonly socketClosed: Promise<void>;
  /** What the script did with it. */
  readonly behaviour: Exclude<Behaviour["kind"], "choose"> | "exhausted";
}

export interface FaultServer {
  /** e.g. "http://127.0.0.1:41234" */
  readonly url: string;
  readonly port: number;
  readonly requests: readonly RecordedRequest[];
  /** Connections accepted and not closed yet. */
  readonly openSockets: number;
  /** Appends behaviours for the next requests, in order. */
  script(...behaviours: Behaviour[]): void;
  /** Resolves once `count` requests have arrived (their bodies read). */
  whenRequests(count: number): Promise<void>;
  /** Resets the connection of request `index` now (for a stalled body the client already holds). */
  stalledReset(index: number): void;
  /**
   * Starts reading (and dropping) what `hangUnread` left unread, so the server sees the
   * client's close: a socket nobody reads never reports its peer's FIN.
   */
  readUnread(): void;
  /** Resolves once every accepted connection has closed. */
  whenSocketsClosed(): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  const queue: Behaviour[] = [];
  const requests: RecordedRequest[] = [];
  const requestSockets: Socket[] = [];
  const unread: IncomingMessage[] = [];
  const sockets = trackSockets();
  const requestWaiters: Array<{ count: number; resolve: () => void }> = [];

  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A `choose` that threw: say so to the client rather than leave a rejection behind.
      if (res.headersSent) res.destroy();
      else res.writeHead(599, { "content-type": "text/plain" }).end(`fault server: ${String(error)}`);
    });
  });
  server.on("connection", (socket: Socket) => sockets.add(socket));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    if (queue[0]?.kind === "hang-unread") {
      queue.shift();
      record(req, { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.alloc(0) }, "hang-unread");
      unread.push(req);
      return;
    }
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      // The client gave up while sending: nothing to record or answer.
      return;
    }
    const socket = req.socket;
    const head = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
    let behaviour = queue.shift();
    while (behaviour?.kind === "choose") behaviour = behaviour.choose(head);
    record(req, head, behaviour?.kind ?? "exhausted");
    act(behaviour, res, socket);
  }

  function record(req: IncomingMessage, head: Pick<RecordedRequest, "method" | "url" | "headers" | "body">, behaviour: RecordedRequest["behaviour"]): void {
    const socket = req.socket;
    const rawHeaders: Array<readonly [string, string]> = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? ""]);
    requests.push({
      ...head,
      rawHeaders,
      socketClosed: socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once("close", () => resolve())),
      behaviour,
    });
    requestSockets.push(socket);
    for (const waiter of requestWaiters.filter((w) => requests.length >= w.count)) {
      requestWaiters.splice(requestWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  function act(behaviour: Exclude<Behaviour, { kind: "choose" }> | undefined, res: ServerResponse, socket: Socket): void {
    if (behaviour === undefined) {
      res.writeHead(599, { "content-type": "text/plain" });
      res.end("fault server: script exhausted");
      return;
    }
    switch (behaviour.kind) {
      case "respond": {
        const body = bytesOf(behaviour.reply.body);
        res.writeHead(behaviour.reply.status, { "content-length": String(body.byteLength), ...behaviour.reply.headers });
        res.end(body);
        return;
      }
      case "reset-before-headers":
        socket.resetAndDestroy();
        return;
      case "hang":
      case "hang-unread":
        return;
      case "reset-mid-body":
      case "truncate":
      case "stall-body": {
        const body = bytesOf(behaviour.reply.body);
        res.writeHead(behaviour.reply.status, { "content-length": String(body.byteLength), ...behaviour.reply.headers });
        // Flushed before the fault, so the client has the headers (and these bytes) first.
        res.write(body.subarray(0, behaviour.bytes), () => {
          if (behaviour.kind === "reset-mid-body") socket.resetAndDestroy();
          else if (behaviour.kind === "truncate") socket.end();
        });
        return;
      }
    }
  }

  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get openSockets() {
      return sockets.open;
    },
    script(...behaviours) {
      queue.push(...behaviours);
    },
    whenRequests(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => requestWaiters.push({ count, resolve }));
    },
    stalledReset(index) {
      const socket = requestSockets[index];
      if (!socket) throw new Error(`no request ${index}`);
      if (!socket.destroyed) socket.resetAndDestroy();
    },
    readUnread() {
      for (const req of unread.splice(0)) {
        req.on("error", () => undefined);
        req.resume();
      }
    },
    whenSocketsClosed: () => sockets.whenAllClosed(),
    close: () => sockets.closeServer(server),
  };
}

/**
 * A TCP server that accepts connections and never says a word: an `https://` endpoint on
 * it never finishes its TLS handshake, the one way to stage a connect timeout on loopback
 * (a TCP connect to 127.0.0.1 completes at once or is refused).
 */
export interface SilentServer {
  readonly port: number;
  readonly accepted: number;
  readonly openSockets: number;
  whenSocketsClosed(): Promise<void>;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = trackSockets();
  let accepted = 0;
  const server: Server = createNetServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    // Read (and drop) what the client sends, so its FIN is seen and the socket closes.
    socket.resume();
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    get accepted() {
      return accepted;
    },
    get openSockets() {
      return sockets.open;
    },
    whenSocketsClosed: () => sockets.whenAllClosed(),
    close: () => sockets.closeServer(server),
  };
}

/** A loopback port nobody listens on: bound, then closed. */
export async function refusedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Listens on 127.0.0.1 at a free port, and resolves to it. */
async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** The connections a server accepted, so a test can wait for all to close and `close()` leaves none behind. */
interface SocketTracker {
  add(socket: Socket): void;
  readonly open: number;
  whenAllClosed(): Promise<void>;
  /** Destroys every open connection, then closes `server`. */
  closeServer(server: Server): Promise<void>;
}

function trackSockets(): SocketTracker {
  const sockets = new Set<Socket>();
  const closedWaiters = new Set<() => void>();
  return {
    add(socket) {
      sockets.add(socket);
      socket.once("close", () => {
        sockets.delete(socket);
        if (sockets.size === 0) for (const resolve of [...closedWaiters]) resolve();
      });
    },
    get open() {
      return sockets.size;
    },
    whenAllClosed() {
      if (sockets.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const done = (): void => {
          closedWaiters.delete(done);
          resolve();
        };
        closedWaiters.add(done);
      });
    },
    closeServer: (server) =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function bytesOf(body: string | Uint8Array | undefined): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  return typeof body === "string" ? Buffer.from(body, "utf8") : body;
}
