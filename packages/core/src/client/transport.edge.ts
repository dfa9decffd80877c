/**
 * The default transport of the browser and Worker build, chosen by the package's
 * `#default-transport` import for the `browser`, `worker` and `workerd` conditions: the
 * platform's fetch, always. transport.ts (Node.js, Bun, Deno) decides at run time between
 * undici, node:http and fetch; here there is nothing to decide, so a bundle for the edge
 * carries neither Node transport (undici's exchange, node:http's pool).
 */
import { createFetchHttpHandler } from "../http/fetch-handler.ts";
import type { HttpHandler } from "../http/http-handler.ts";
import type { HttpOptions } from "./config.ts";
import type { createDefaultHttpHandler as nodeHandler, defaultTransport as nodeTransport, TransportName } from "./transport.ts";

export type { TransportName } from "./transport.ts";

export const createDefaultHttpHandler: typeof nodeHandler = (options: Omit<HttpOptions, "handler"> = {}): HttpHandler & { transport(): Promise<TransportName> } =>
  Object.assign(createFetchHttpHandler(options), { transport: (): Promise<TransportName> => Promise.resolve("fetch") });

export const defaultTransport: typeof nodeTransport = (): Promise<TransportName> => Promise.resolve("fetch");
