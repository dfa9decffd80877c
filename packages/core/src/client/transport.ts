/**
 * The transport a client gets when `http.handler` is not given: undici on Node.js, the
 * platform's fetch everywhere else.
 *
 *   runtime (platform/index.ts)          transport
 *   Node.js ("Node.js/" user agent)     undici (node-handler.ts), when `#undici` loads
 *                                        and is the real undici; otherwise fetch
 *   Bun, Deno, Workers, browsers         fetch (fetch-handler.ts)
 *
 * Bun and Deno could load undici from npm, but their own fetch is native code and keeps
 * its own pool; undici there would be a Node polyfill running on a Node polyfill. The
 * "try the import" step covers a Node process running a bundle made without the "node"
 * condition, where `#undici` is the stand-in (undici-unavailable.ts).
 *
 * The choice is made on the first request (importing undici is asynchronous) and kept;
 * `defaultTransport()` says which one a client got. Both handlers take the same options
 * (`maxConnections` only matters to undici; `connectTimeout` cannot be timed apart by
 * fetch and counts towards `requestTimeout` there).
 */
import { createFetchHttpHandler } from "../http/fetch-handler.ts";
import type { HandleOptions, HttpHandler, HttpResponse } from "../http/http-handler.ts";
import type { HttpRequest } from "../http/http-request.ts";
import { createNodeHttpHandler } from "../http/node-handler.ts";
import { isNodeJs } from "../platform/index.ts";
import type { HttpOptions } from "./config.ts";

export type TransportName = "undici" | "fetch";

/** The handler a client makes for itself; see the header for the rule. */
export function createDefaultHttpHandler(options: Omit<HttpOptions, "handler"> = {}): HttpHandler & { transport(): Promise<TransportName> } {
  return new DefaultHttpHandler(options);
}

/** Which transport the rule picks here (loading undici on Node to be sure it is there). */
export async function defaultTransport(): Promise<TransportName> {
  if (!isNodeJs()) return "fetch";
  try {
    const undici = (await import("#undici")) as { unavailable?: unknown; Agent?: unknown };
    return undici.unavailable === undefined && typeof undici.Agent === "function" ? "undici" : "fetch";
  } catch {
    return "fetch";
  }
}

class DefaultHttpHandler implements HttpHandler {
  readonly #options: Omit<HttpOptions, "handler">;
  /** On Node, made at once (so bad options fail at once); used when undici loads. */
  readonly #node: HttpHandler | undefined;
  /** The handler once chosen: requests then go straight to it. */
  #handler: HttpHandler | undefined;
  #chosen: Promise<HttpHandler> | undefined;
  #name: TransportName | undefined;

  constructor(options: Omit<HttpOptions, "handler">) {
    this.#options = options;
    if (isNodeJs()) {
      this.#node = createNodeHttpHandler(options);
    } else {
      this.#handler = createFetchHttpHandler(options);
      this.#name = "fetch";
      this.#chosen = Promise.resolve(this.#handler);
    }
  }

  handle(request: HttpRequest, options: HandleOptions): Promise<HttpResponse> {
    if (this.#handler) return this.#handler.handle(request, options);
    return this.#choose().then((handler) => handler.handle(request, options));
  }

  async destroy(): Promise<void> {
    if (this.#chosen) await (await this.#chosen).destroy?.();
  }

  /** The transport in use (choosing it now if no request was sent yet). */
  async transport(): Promise<TransportName> {
    await this.#choose();
    return this.#name as TransportName;
  }

  #choose(): Promise<HttpHandler> {
    this.#chosen ??= defaultTransport().then((name) => {
      const handler = name === "undici" && this.#node ? this.#node : createFetchHttpHandler(this.#options);
      this.#name = handler === this.#node ? "undici" : "fetch";
      this.#handler = handler;
      return handler;
    });
    return this.#chosen;
  }
}
