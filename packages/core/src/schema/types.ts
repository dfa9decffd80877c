/**
 * The runtime schema: what a service package carries so that the core can validate,
 * serialize and parse its calls. It is the service model reduced to facts the wire needs
 * (no documentation, no examples) and shaped for the interpreter:
 *
 *   ServiceSchema ──operations──▶ OperationSchema ──input/output/errors──▶ StructureShape
 *                                                                          │ members
 *                                                                          ▼
 *                                   Member { target: ShapeRef, location?, locationName?, … }
 *                                                                          │ target
 *                                                                          ▼
 *                         Shape = StructureShape | ListShape | MapShape | ScalarShape
 *
 * Layout rules:
 * - Field names and meanings are botocore's (`location`, `locationName`, `flattened`,
 *   `xmlNamespace`, `queryName`, `timestampFormat`, …), so anyone who knows the AWS models
 *   can read generated data and the protocol code against the same vocabulary.
 * - Everything is inert data. A member's `target` may be a thunk (`() => Shape`) so that
 *   recursive shapes and any declaration order work. Generated packages write most shapes
 *   as JSON text that `shapeFromJson` (from-json.ts) turns into this layout, in calls
 *   marked pure: a bundler can still drop every shape an app never reaches.
 * - Optional fields are simply absent when false/default; generated code writes only what
 *   differs from the default.
 * - Enum values are not here: they are types (string-literal unions) in the generated
 *   package, and an unknown value from the service must pass through untouched.
 *
 * `normalize.ts` is the one reader that resolves thunks and caches derived views (member
 * lists, location maps); protocols use those views rather than walking this data raw.
 */

export type ScalarType =
  | "string"
  | "boolean"
  | "byte"
  | "short"
  | "integer"
  | "long"
  | "float"
  | "double"
  | "bigdecimal"
  | "biginteger"
  | "timestamp"
  | "blob";

export type TimestampFormat = "iso8601" | "rfc822" | "unixTimestamp";

export interface XmlNamespace {
  readonly uri: string;
  readonly prefix?: string;
}

/** Where a member travels in a REST request or response; absent means "in the body". */
export type MemberLocation = "uri" | "querystring" | "header" | "headers" | "statusCode";

export interface ScalarShape {
  readonly type: ScalarType;
  readonly name?: string;
  readonly timestampFormat?: TimestampFormat;
  /** Length (strings, blobs) or value (numbers) bounds, for validation. */
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  /** A streaming blob/string: the HTTP payload as a stream, not buffered. */
  readonly streaming?: boolean;
  /** Never logged or shown (passwords, secret keys). */
  readonly sensitive?: boolean;
  /** A string that carries JSON (sent base64-encoded in headers). */
  readonly jsonvalue?: boolean;
  readonly xmlNamespace?: XmlNamespace;
  /** A string with an enum trait: validation accepts any string (forward compatibility). */
  readonly enum?: true;
}

export interface DocumentShape {
  readonly type: "document";
  readonly name?: string;
}

export interface StructureShape {
  readonly type: "structure";
  readonly name: string;
  readonly members: Readonly<Record<string, Member>>;
  readonly required?: readonly string[];
  /** Exactly one member is set (tagged union). */
  readonly union?: boolean;
  /** The member that is the whole HTTP payload (REST protocols). */
  readonly payload?: string;
  readonly xmlNamespace?: XmlNamespace;
  /** The XML element name when the structure is a payload (rest-xml). */
  readonly locationName?: string;
  /** A modelled error. */
  readonly exception?: boolean;
  readonly error?: ErrorTrait;
  /** true = server fault (5xx), as the model's `fault`. */
  readonly fault?: boolean;
  readonly retryable?: { readonly throttling?: boolean };
  /** An event stream (a union of event structures). */
  readonly eventstream?: boolean;
  /** One event of an event stream. */
  readonly event?: boolean;
  readonly sensitive?: boolean;
}

export interface ErrorTrait {
  /** The wire code when it differs from the shape name (awsQuery-compatible services). */
  readonly code?: string;
  readonly httpStatusCode?: number;
  readonly senderFault?: boolean;
}

export interface ListShape {
  readonly type: "list";
  readonly name?: string;
  readonly member: Member;
  readonly flattened?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly sensitive?: boolean;
}

export interface MapShape {
  readonly type: "map";
  readonly name?: string;
  readonly key: Member;
  readonly value: Member;
  readonly flattened?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly sensitive?: boolean;
}

export type Shape = ScalarShape | DocumentShape | StructureShape | ListShape | MapShape;

/** A shape, or a thunk returning it (for recursion and declaration-order freedom). */
export type ShapeRef<S extends Shape = Shape> = S | (() => S);

export interface Member {
  readonly target: ShapeRef;
  readonly location?: MemberLocation;
  /** Wire name: header name, query key, URI label, XML element/attribute, JSON key. */
  readonly locationName?: string;
  /** ec2 protocol's query key, when it differs. */
  readonly queryName?: string;
  readonly xmlAttribute?: boolean;
  readonly xmlNamespace?: XmlNamespace;
  readonly flattened?: boolean;
  readonly timestampFormat?: TimestampFormat;
  /** Filled with a fresh UUID when the caller leaves it out. */
  readonly idempotencyToken?: boolean;
  /** Part of the host name through the operation's host prefix. */
  readonly hostLabel?: boolean;
  readonly jsonvalue?: boolean;
  readonly streaming?: boolean;
  /** Event streams: this member is the event's payload / one of its headers. */
  readonly eventpayload?: boolean;
  readonly eventheader?: boolean;
  /** Endpoint rule-set parameter fed by this member. */
  readonly contextParam?: string;
}

export interface HttpTrait {
  readonly method: string;
  /** e.g. "/{Bucket}/{Key+}?x-id=GetObject" */
  readonly requestUri: string;
  readonly responseCode?: number;
}

export type ChecksumAlgorithm = "CRC32" | "CRC32C" | "CRC64NVME" | "SHA1" | "SHA256";

export interface HttpChecksumTrait {
  readonly requestChecksumRequired?: boolean;
  /** The input member naming the algorithm the caller chose. */
  readonly requestAlgorithmMember?: string;
  /** The input member that opts into response validation. */
  readonly requestValidationModeMember?: string;
  readonly responseAlgorithms?: readonly ChecksumAlgorithm[];
}

export interface OperationSchema {
  readonly name: string;
  readonly http: HttpTrait;
  readonly input?: ShapeRef<StructureShape>;
  readonly output?: ShapeRef<StructureShape>;
  readonly errors?: readonly ShapeRef<StructureShape>[];
  /** Prepended to the endpoint host; may contain `{Label}`s filled from hostLabel members. */
  readonly hostPrefix?: string;
  readonly idempotent?: boolean;
  /** Content encodings the service accepts for the request body (e.g. ["gzip"]). */
  readonly requestCompression?: readonly string[];
  readonly httpChecksum?: HttpChecksumTrait;
  /** Legacy "checksum required" trait: send Content-MD5 (or a flexible checksum). */
  readonly httpChecksumRequired?: boolean;
  /** "none" for operations that are called without a signature (e.g. STS web identity). */
  readonly auth?: "none" | "sigv4" | "sigv4a" | "bearer";
  /** Send the body unsigned (UNSIGNED-PAYLOAD), e.g. some streaming uploads. */
  readonly unsignedPayload?: boolean;
  /** Endpoint rule-set parameters that are fixed for this operation. */
  readonly staticContextParams?: Readonly<Record<string, string | boolean>>;
}

export type ProtocolName = "json" | "rest-json" | "rest-xml" | "query" | "ec2" | "smithy-rpc-v2-cbor";

export interface ServiceSchema {
  /** The model's serviceId, e.g. "S3", "Secrets Manager". */
  readonly serviceId: string;
  readonly apiVersion: string;
  /** The protocol this SDK speaks to the service (chosen from the model's list). */
  readonly protocol: ProtocolName;
  /** awsJson version ("1.0" or "1.1"). */
  readonly jsonVersion?: string;
  /** awsJson's X-Amz-Target prefix. */
  readonly targetPrefix?: string;
  /** Service-level XML namespace for query/ec2/rest-xml. */
  readonly xmlNamespace?: string;
  /** A json/cbor service that still answers with awsQuery error codes. */
  readonly awsQueryCompatible?: boolean;
  /** SigV4 signing name (model `signingName`, else `endpointPrefix`). */
  readonly signingName: string;
  readonly endpointPrefix: string;
}
