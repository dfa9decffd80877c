/**
 * The one table of wire protocols, like botocore's `SERIALIZERS` / `PROTOCOL_PARSERS`: a
 * service schema names its protocol and the pipeline looks it up here. Each entry is one
 * module; variants (awsJson 1.0/1.1, query-compatible services) are settings inside a
 * module, read from the service schema, not entries of their own.
 */
import type { ProtocolName } from "../schema/types.ts";
import { ec2Protocol } from "./ec2.ts";
import { jsonProtocol } from "./json.ts";
import type { Protocol } from "./protocol.ts";
import { queryProtocol } from "./query.ts";
import { restJsonProtocol } from "./rest-json.ts";
import { restXmlProtocol } from "./rest-xml.ts";
import { rpcV2CborProtocol } from "./rpc-v2-cbor.ts";

// A Record, so a protocol added to ProtocolName without a module here is a type error.
export const PROTOCOLS: Record<ProtocolName, Protocol> = {
  json: jsonProtocol,
  "rest-json": restJsonProtocol,
  query: queryProtocol,
  ec2: ec2Protocol,
  "rest-xml": restXmlProtocol,
  "smithy-rpc-v2-cbor": rpcV2CborProtocol,
};

export type { Endpoint, ParseCall, ParsedError, Protocol, RawResponse, RequestIds, SerializeCall } from "./protocol.ts";
