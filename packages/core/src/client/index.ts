/**
 * The call pipeline and the client class generated packages extend.
 *
 *   service-client.ts   ServiceClient: send / buildRequest / presign / destroy
 *   config.ts           ClientConfig and its parts (HttpOptions, Logger)
 *   pipeline.ts         the whole life of a call, phase by phase, in one file
 *   presign.ts          a call stopped before send, signed in its URL
 *   call-scope.ts       a call's signal and deadline (CallOptions)
 *   runtime.ts          a client's settings, resolved on its first call
 *   transport.ts        the default transport: undici on Node.js, fetch elsewhere
 *   transport.edge.ts   the same for a browser/Worker build: fetch only (the package's
 *                       `#default-transport` import picks one by condition)
 *   clock.ts            the clock offset learned from responses
 *   definition.ts       what a service package hands the core
 *   hooks.ts            the named hooks, and the order they run in
 *   steps/              the functions the pipeline's phases call
 */
export { ServiceClient, type ResolvedClientConfig } from "./service-client.ts";
export { createDefaultHttpHandler, defaultTransport, type TransportName } from "#default-transport";
export type { ClientConfig, HttpOptions, Logger } from "./config.ts";
export type { CallOptions } from "./call-scope.ts";
export type { BuiltRequest, Output, PreparedRequest } from "./pipeline.ts";
export { DEFAULT_PRESIGN_EXPIRY, type PresignedHttpRequest, type PresignOptions } from "./presign.ts";
export type { ServiceDefinition } from "./definition.ts";
export type { HookContext, HookResponse, ServiceHooks } from "./hooks.ts";
export { ClockOffset, CLOCK_SKEW_THRESHOLD_MS } from "./clock.ts";
export { STRATUS_VERSION } from "./steps/user-agent.ts";
export type { CallEndpoint, SigningTarget } from "./steps/endpoint.ts";
