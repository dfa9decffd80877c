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
// Each protocol module on its own, for service definitions to name the one they speak: a
// bundle then carries that protocol only (PROTOCOLS would bring all six).
export { ec2Protocol } from "./protocols/ec2.ts";
export { jsonProtocol } from "./protocols/json.ts";
export { queryProtocol } from "./protocols/query.ts";
export { restJsonProtocol } from "./protocols/rest-json.ts";
export { restXmlProtocol } from "./protocols/rest-xml.ts";
export { rpcV2CborProtocol } from "./protocols/rpc-v2-cbor.ts";
export type { Endpoint, ParsedError, ParseCall, Protocol, RawResponse, SerializeCall } from "./protocols/protocol.ts";
export { ServiceError, type ResponseMetadata, type ServiceErrorClass, type ServiceErrorInit } from "./errors/service-error.ts";
export * from "./http/index.ts";
export * from "./checksums/index.ts";
export * from "./client/index.ts";
export type { HttpLogOptions } from "./client/config.ts";
export * from "./logging/index.ts";
export * from "./validate/index.ts";
export * from "./paginate/index.ts";
export * from "./wait/index.ts";
export * from "./eventstream/index.ts";
// For service packages that wait on a caller's promise while a signal may fire (the S3
// transfer manager): the core's own helper, so every package drops an abandoned outcome alike.
export { abandonable } from "./abort/index.ts";
// Base64 and hex that work with or without Buffer (a browser has none): for service
// packages' hand-written helpers (the DynamoDB document layer's binary attributes).
export { base64ToBytes, bytesToBase64, bytesToHex, hexToBytes, utf8Length } from "./platform/bytes.ts";
