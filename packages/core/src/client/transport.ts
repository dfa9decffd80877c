/**
 * The transport a client gets when `http.handler` is not given: the Node transport on
 * Node.js, the platform's fetch everywhere else.
 *
 *   runtime (platform/index.ts)          transport
 *   Node.js ("Node.js/" user agent)     node-handler.ts: undici when it can be imported,
 *                                        else node:http (a bundle shipped without
 *                                        node_modules; see http/load-undici.ts)
 *   Bun, Deno, Workers, browsers         fetch (fetch-handler.ts)
 *
 * Bun and Deno could load undici from npm, but their own fetch is native code and keeps
 * its own pool; undici there would be a Node polyfill running on a Node polyfill.
 *
 * This is the Node.js, Bun and Deno build's module; a bundle for the `browser`, `worker` or
 * `workerd` condition gets transport.edge.ts instead (fetch only), through the package's
 * `#default-transport` import, so it carries neither Node transport.
 *
 * `defaultTransport()` says which one a client gets. Both handlers take the same options
 * (`maxConnections` only matters on Node; `connectTimeout` cannot be timed apart by fetch
 * and counts towards `requestTimeout` there).
 */
import { createFetchHttpHandler } from "../http/fetch-handler.ts";
import type { HttpHandler } from "../http/http-handler.ts";
import { loadUndiciAgent } from "../http/load-undici.ts";
import { createNodeHttpHandler } from "../http/node-handler.ts";
import { isNodeJs } from "../platform/index.ts";
import type { HttpOptions } from "./config.ts";

export type TransportName = "undici" | "node:http" | "fetch";

/** The handler a client makes for itself; see the header for the rule. */
export function createDefaultHttpHandler(options: Omit<HttpOptions, "handler"> = {}): HttpHandler & { transport(): Promise<TransportName> } {
  if (!isNodeJs()) {
    const fetchHandler = createFetchHttpHandler(options);
    return Object.assign(fetchHandler, { transport: (): Promise<TransportName> => Promise.resolve("fetch") });
  }
  const nodeHandler = createNodeHttpHandler(options);
  return Object.assign(nodeHandler, { transport: (): Promise<TransportName> => nodeHandler.engine() });
}

/** Which transport the rule picks here (loading undici on Node to be sure it is there). */
export async function defaultTransport(): Promise<TransportName> {
  if (!isNodeJs()) return "fetch";
  return (await loadUndiciAgent()) === undefined ? "node:http" : "undici";
}
