/**
 * @stratus/core: everything that is the same for every AWS service. Service packages and
 * applications import from here; each area's own index lists what it makes public.
 */
export * from "./errors/index.ts";
export * from "./signing/index.ts";
export type { HttpRequest } from "./http/http-request.ts";
export * from "./config/index.ts";
export * from "./credentials/index.ts";
export { Session, type ServiceSettings, type ServiceSettingsOverrides, type SessionOptions } from "./session/session.ts";
export * from "./endpoints/index.ts";
export * from "./retry/index.ts";
export * from "./schema/index.ts";
export { PROTOCOLS } from "./protocols/index.ts";
export type { Endpoint, ParsedError, ParseCall, Protocol, RawResponse, SerializeCall } from "./protocols/protocol.ts";
export { ServiceError, type ResponseMetadata, type ServiceErrorClass, type ServiceErrorInit } from "./errors/service-error.ts";
export * from "./http/index.ts";
export * from "./client/index.ts";
export * from "./validate/index.ts";
export * from "./paginate/index.ts";
export * from "./wait/index.ts";
