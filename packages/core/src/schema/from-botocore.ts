/**
 * Builds the runtime schema from a model in botocore's JSON layout (`service-2.json`, or a
 * protocol test suite's inline `metadata` + `shapes` + operation). The generator uses it to
 * emit service packages; the conformance harness uses it on each suite case; an application
 * could use it to call a service it only has a model for, as botocore does.
 *
 * Only facts the wire, validation and types need are kept; documentation and examples are
 * dropped here, so nothing downstream can copy them by accident. Shape references become
 * thunks over one shared table, which handles recursion and keeps each shape built once.
 */
import { StratusError } from "../errors/index.ts";
import type {
  ChecksumAlgorithm,
  HttpChecksumTrait,
  Member,
  OperationSchema,
  ProtocolName,
  ScalarShape,
  ScalarType,
  ServiceSchema,
  Shape,
  ShapeRef,
  StructureShape,
  TimestampFormat,
  XmlNamespace,
} from "./types.ts";

/** The loose JSON of a botocore model: read defensively, it is input. */
export type BotocoreJson = Readonly<Record<string, unknown>>;

export interface BotocoreModel {
  readonly metadata: BotocoreJson;
  readonly operations?: Readonly<Record<string, BotocoreJson>>;
  readonly shapes: Readonly<Record<string, BotocoreJson>>;
}

export interface SchemaFromModel {
  readonly service: ServiceSchema;
  readonly operations: Readonly<Record<string, OperationSchema>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

const PROTOCOL_PREFERENCE: readonly ProtocolName[] = ["smithy-rpc-v2-cbor", "json", "rest-json", "rest-xml", "query", "ec2"];
const SCALARS: ReadonlySet<string> = new Set<ScalarType>([
  "string", "boolean", "byte", "short", "integer", "long", "float", "double", "bigdecimal", "biginteger", "timestamp", "blob",
]);

export class ModelError extends StratusError {
  override name = "ModelError";
}

export function schemaFromBotocore(model: BotocoreModel): SchemaFromModel {
  const table = new ShapeTable(model.shapes);
  const service = serviceFromMetadata(model.metadata);
  const operations: Record<string, OperationSchema> = {};
  for (const [name, op] of Object.entries(model.operations ?? {})) {
    operations[name] = operationFromModel(name, op, table);
  }
  return { service, operations, shapes: table.all() };
}

/** One operation, e.g. a protocol suite case's `given`. */
export function operationFromModel(name: string, op: BotocoreJson, table: ShapeTable): OperationSchema {
  const http = obj(op["http"]) ?? {};
  const endpoint = obj(op["endpoint"]);
  const compression = obj(op["requestcompression"]);
  const inputRef = ref(op["input"]);
  const outputRef = ref(op["output"]);
  const errors = Array.isArray(op["errors"]) ? op["errors"].map((e) => ref(e)).filter((e) => e !== undefined) : [];
  const checksum = httpChecksum(obj(op["httpChecksum"]));
  const auth = authOf(op);
  const staticParams = staticContextParams(obj(op["staticContextParams"]));
  const responseCode = num(http["responseCode"]);
  return {
    name: str(op["name"]) ?? name,
    http: {
      method: str(http["method"]) ?? "POST",
      requestUri: str(http["requestUri"]) ?? "/",
      ...(responseCode !== undefined ? { responseCode } : {}),
    },
    ...(inputRef ? { input: table.structureRef(inputRef) } : {}),
    ...(outputRef ? { output: table.structureRef(outputRef) } : {}),
    ...(errors.length ? { errors: errors.map((e) => table.structureRef(e)) } : {}),
    ...(endpoint && str(endpoint["hostPrefix"]) ? { hostPrefix: str(endpoint["hostPrefix"]) as string } : {}),
    ...(op["idempotent"] === true ? { idempotent: true } : {}),
    ...(compression && Array.isArray(compression["encodings"]) ? { requestCompression: compression["encodings"].map(String) } : {}),
    ...(checksum ? { httpChecksum: checksum } : {}),
    ...(op["httpChecksumRequired"] === true ? { httpChecksumRequired: true } : {}),
    ...(auth ? { auth } : {}),
    ...(op["unsignedPayload"] === true || op["authtype"] === "v4-unsigned-body" ? { unsignedPayload: true } : {}),
    ...(staticParams ? { staticContextParams: staticParams } : {}),
  };
}

export function serviceFromMetadata(metadata: BotocoreJson): ServiceSchema {
  const declared = Array.isArray(metadata["protocols"]) ? metadata["protocols"].map(String) : [];
  const protocol = pickProtocol(declared.length ? declared : [str(metadata["protocol"]) ?? ""]);
  const endpointPrefix = str(metadata["endpointPrefix"]) ?? "";
  const jsonVersion = str(metadata["jsonVersion"]);
  const targetPrefix = str(metadata["targetPrefix"]);
  const xmlNamespace = str(metadata["xmlNamespace"]);
  return {
    serviceId: str(metadata["serviceId"]) ?? "",
    apiVersion: str(metadata["apiVersion"]) ?? "",
    protocol,
    ...(jsonVersion ? { jsonVersion } : {}),
    ...(targetPrefix ? { targetPrefix } : {}),
    ...(xmlNamespace ? { xmlNamespace } : {}),
    ...(metadata["awsQueryCompatible"] !== undefined ? { awsQueryCompatible: true } : {}),
    signingName: str(metadata["signingName"]) ?? endpointPrefix,
    endpointPrefix,
  };
}

function pickProtocol(declared: readonly string[]): ProtocolName {
  for (const candidate of declared) {
    if ((PROTOCOL_PREFERENCE as readonly string[]).includes(candidate)) return candidate as ProtocolName;
  }
  throw new ModelError(`none of the model's protocols is supported: ${declared.join(", ") || "(none)"}`);
}

/** Builds shapes on demand from the model's table; each name is built once. */
export class ShapeTable {
  readonly #source: Readonly<Record<string, BotocoreJson>>;
  readonly #built = new Map<string, Shape>();

  constructor(source: Readonly<Record<string, BotocoreJson>>) {
    this.#source = source;
  }

  get(name: string): Shape {
    let shape = this.#built.get(name);
    if (!shape) {
      const raw = this.#source[name];
      if (!raw) throw new ModelError(`the model refers to shape "${name}", which it does not define`);
      shape = this.#build(name, raw);
      this.#built.set(name, shape);
    }
    return shape;
  }

  /** A lazy reference, so recursive shapes never build forever. */
  ref(name: string): ShapeRef {
    return () => this.get(name);
  }

  structureRef(name: string): ShapeRef<StructureShape> {
    return () => {
      const shape = this.get(name);
      if (shape.type !== "structure") throw new ModelError(`shape "${name}" is used as a structure but is a ${shape.type}`);
      return shape;
    };
  }

  all(): Record<string, Shape> {
    const out: Record<string, Shape> = {};
    for (const name of Object.keys(this.#source)) out[name] = this.get(name);
    return out;
  }

  #build(name: string, raw: BotocoreJson): Shape {
    const type = str(raw["type"]);
    if (type === "structure" && raw["document"] === true) return { type: "document", name };
    if (type === "structure") return this.#structure(name, raw);
    if (type === "list") {
      const member = obj(raw["member"]);
      if (!member) throw new ModelError(`list shape "${name}" has no member`);
      return {
        type: "list",
        name,
        member: this.#member(member),
        ...bounds(raw),
        ...(raw["flattened"] === true ? { flattened: true } : {}),
        ...(raw["sensitive"] === true ? { sensitive: true } : {}),
      };
    }
    if (type === "map") {
      const key = obj(raw["key"]);
      const value = obj(raw["value"]);
      if (!key || !value) throw new ModelError(`map shape "${name}" needs a key and a value`);
      return {
        type: "map",
        name,
        key: this.#member(key),
        value: this.#member(value),
        ...bounds(raw),
        ...(raw["flattened"] === true ? { flattened: true } : {}),
        ...(raw["sensitive"] === true ? { sensitive: true } : {}),
      };
    }
    if (type && SCALARS.has(type)) return scalar(name, type as ScalarType, raw);
    throw new ModelError(`shape "${name}" has an unsupported type "${type}"`);
  }

  #structure(name: string, raw: BotocoreJson): StructureShape {
    const members: Record<string, Member> = {};
    for (const [memberName, member] of Object.entries(obj(raw["members"]) ?? {})) {
      const m = obj(member);
      if (m) members[memberName] = this.#member(m);
    }
    const error = obj(raw["error"]);
    const retryable = obj(raw["retryable"]);
    const required = Array.isArray(raw["required"]) ? raw["required"].map(String) : [];
    const ns = xmlNamespace(raw["xmlNamespace"]);
    const payload = str(raw["payload"]);
    const locationName = str(raw["locationName"]);
    return {
      type: "structure",
      name,
      members,
      ...(required.length ? { required } : {}),
      ...(raw["union"] === true ? { union: true } : {}),
      ...(payload ? { payload } : {}),
      ...(ns ? { xmlNamespace: ns } : {}),
      ...(locationName ? { locationName } : {}),
      ...(raw["exception"] === true ? { exception: true } : {}),
      ...(error ? { error: errorTrait(error) } : {}),
      ...(raw["fault"] === true ? { fault: true } : {}),
      ...(retryable ? { retryable: retryable["throttling"] === true ? { throttling: true } : {} } : {}),
      ...(raw["eventstream"] === true ? { eventstream: true } : {}),
      ...(raw["event"] === true ? { event: true } : {}),
      ...(raw["sensitive"] === true ? { sensitive: true } : {}),
    };
  }

  #member(raw: BotocoreJson): Member {
    const target = str(raw["shape"]);
    if (!target) throw new ModelError("a member has no target shape");
    const out: { -readonly [K in keyof Member]: Member[K] } = { target: this.ref(target) };
    const location = str(raw["location"]);
    if (location === "uri" || location === "querystring" || location === "header" || location === "headers" || location === "statusCode") {
      out.location = location;
    }
    const locationName = str(raw["locationName"]);
    // "" is meaningful: a prefix-headers map with an empty prefix binds every header.
    if (locationName !== undefined) out.locationName = locationName;
    const queryName = str(raw["queryName"]);
    if (queryName) out.queryName = queryName;
    if (raw["xmlAttribute"] === true) out.xmlAttribute = true;
    const ns = xmlNamespace(raw["xmlNamespace"]);
    if (ns) out.xmlNamespace = ns;
    if (raw["flattened"] === true) out.flattened = true;
    const ts = timestampFormat(raw["timestampFormat"]);
    if (ts) out.timestampFormat = ts;
    if (raw["idempotencyToken"] === true) out.idempotencyToken = true;
    if (raw["hostLabel"] === true) out.hostLabel = true;
    if (raw["jsonvalue"] === true) out.jsonvalue = true;
    if (raw["streaming"] === true) out.streaming = true;
    if (raw["eventpayload"] === true) out.eventpayload = true;
    if (raw["eventheader"] === true) out.eventheader = true;
    const context = obj(raw["contextParam"]);
    if (context && str(context["name"])) out.contextParam = str(context["name"]) as string;
    return out;
  }
}

function scalar(name: string, type: ScalarType, raw: BotocoreJson): ScalarShape {
  const ts = timestampFormat(raw["timestampFormat"]);
  const ns = xmlNamespace(raw["xmlNamespace"]);
  const pattern = str(raw["pattern"]);
  return {
    type,
    name,
    ...(ts ? { timestampFormat: ts } : {}),
    ...bounds(raw),
    ...(pattern ? { pattern } : {}),
    ...(raw["streaming"] === true ? { streaming: true } : {}),
    ...(raw["sensitive"] === true ? { sensitive: true } : {}),
    ...(raw["jsonvalue"] === true ? { jsonvalue: true } : {}),
    ...(ns ? { xmlNamespace: ns } : {}),
    ...(Array.isArray(raw["enum"]) ? { enum: true as const } : {}),
  };
}

function bounds(raw: BotocoreJson): { min?: number; max?: number } {
  const min = num(raw["min"]);
  const max = num(raw["max"]);
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

function errorTrait(raw: BotocoreJson): { code?: string; httpStatusCode?: number; senderFault?: boolean } {
  const code = str(raw["code"]);
  const status = num(raw["httpStatusCode"]);
  return {
    ...(code ? { code } : {}),
    ...(status !== undefined ? { httpStatusCode: status } : {}),
    ...(raw["senderFault"] === true ? { senderFault: true } : {}),
  };
}

function httpChecksum(raw: BotocoreJson | undefined): HttpChecksumTrait | undefined {
  if (!raw) return undefined;
  const algorithmMember = str(raw["requestAlgorithmMember"]);
  const validationMember = str(raw["requestValidationModeMember"]);
  const algorithms = Array.isArray(raw["responseAlgorithms"]) ? (raw["responseAlgorithms"].map(String) as ChecksumAlgorithm[]) : [];
  return {
    ...(raw["requestChecksumRequired"] === true ? { requestChecksumRequired: true } : {}),
    ...(algorithmMember ? { requestAlgorithmMember: algorithmMember } : {}),
    ...(validationMember ? { requestValidationModeMember: validationMember } : {}),
    ...(algorithms.length ? { responseAlgorithms: algorithms } : {}),
  };
}

function authOf(op: BotocoreJson): OperationSchema["auth"] {
  const auth = Array.isArray(op["auth"]) ? op["auth"].map(String) : [];
  const authtype = str(op["authtype"]);
  if (authtype === "none" || auth[0] === "smithy.api#noAuth") return "none";
  if (authtype === "bearer" || auth[0] === "smithy.api#httpBearerAuth") return "bearer";
  if (auth[0] === "aws.auth#sigv4a") return "sigv4a";
  return undefined;
}

function staticContextParams(raw: BotocoreJson | undefined): Record<string, string | boolean> | undefined {
  if (!raw) return undefined;
  const out: Record<string, string | boolean> = {};
  for (const [name, def] of Object.entries(raw)) {
    const value = obj(def)?.["value"];
    if (typeof value === "string" || typeof value === "boolean") out[name] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

function xmlNamespace(raw: unknown): XmlNamespace | undefined {
  if (typeof raw === "string") return { uri: raw };
  const o = obj(raw);
  const uri = o ? str(o["uri"]) : undefined;
  if (!o || uri === undefined) return undefined;
  const prefix = str(o["prefix"]);
  return prefix ? { uri, prefix } : { uri };
}

function timestampFormat(raw: unknown): TimestampFormat | undefined {
  return raw === "iso8601" || raw === "rfc822" || raw === "unixTimestamp" ? raw : undefined;
}

function ref(raw: unknown): string | undefined {
  const o = obj(raw);
  return o ? str(o["shape"]) : undefined;
}

function obj(raw: unknown): BotocoreJson | undefined {
  return raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as BotocoreJson) : undefined;
}

function str(raw: unknown): string | undefined {
  return typeof raw === "string" ? raw : undefined;
}

function num(raw: unknown): number | undefined {
  return typeof raw === "number" && Number.isFinite(raw) ? raw : undefined;
}
