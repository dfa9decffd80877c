/**
 * Smithy RPC v2 CBOR (`smithy-rpc-v2-cbor`), the protocol of botocore's
 * `RpcV2CBORSerializer` / `RpcV2CBORParser`:
 *
 *   request   POST {endpoint path}/service/{targetPrefix}/operation/{operation name}
 *             smithy-protocol: rpc-v2-cbor        accept: application/cbor
 *             content-type: application/cbor     (and content-length) only with a body;
 *             an operation without input sends no body at all
 *             x-amzn-query-mode: true             for awsQueryCompatible services
 *   response  the body is the output structure as a CBOR map (empty body = no members)
 *   error     the same map plus `__type`, the error's shape id ("ns#Name", maybe with a
 *             ":uri" suffix): the code is the bare name; the message is `message` or
 *             `Message`; a query-compatible service may override the code (and say who is
 *             at fault) in `x-amzn-query-error: Code;Sender`
 *
 * The service name in the URL is the model's `targetPrefix`, as botocore takes it (for
 * these services it holds the Smithy service shape's name, not an X-Amz-Target prefix).
 * HTTP binding traits (locations, payload, requestUri, method) mean nothing here: every
 * member is in the body, keyed by its member name (the Smithy spec's rule; RPC v2 models
 * carry no wire-name traits).
 *
 * Shapes on the wire (each direction is one exhaustive `switch` on the shape type):
 *
 *   structure/union → map; null members left out / ignored; a union member the model does
 *                     not know comes back as `{ $unknown: [name, value] }`
 *   list, map       → array / map; null entries skipped both ways (the models are dense)
 *   integers        → integers;      float, double → an integer when integral (the spec
 *                                    allows it), else the shortest exact float; callers may
 *                                    also pass "NaN" / "Infinity" / "-Infinity"
 *   timestamp       → tag 1 over epoch seconds (timestampFormat is ignored, as specified)
 *   blob            → byte string;   string → text string;   boolean → simple value
 *   biginteger      → integer, or bignum (tags 2/3);  bigdecimal → decimal fraction (tag 4)
 *   document        → unsupported: the Smithy spec defines no CBOR form for documents, so
 *                     a document member is an error in both directions
 *
 * Requests are written straight from the input into a `CborWriter` (no intermediate
 * tree); responses are decoded by `decodeCbor` into plain data, then read by shape. Values
 * follow protocol.ts: Dates, Uint8Arrays, numbers (a 64-bit integer beyond 2^53 becomes
 * the nearest number, as in the JSON protocols; an integer member holding a fraction, NaN
 * or ±Infinity is a ParseError).
 */
import { ParseError, StratusError } from "../errors/index.ts";
import type { HttpRequest } from "../http/http-request.ts";
import { randomUuid } from "../platform/uuid.ts";
import { membersOf, memberShape, resolveShape } from "../schema/normalize.ts";
import type { OperationSchema, Shape, StructureShape } from "../schema/types.ts";
import { decodeCbor } from "./cbor/decode.ts";
import { CborWriter, MAX_ENCODE_DEPTH } from "./cbor/encode.ts";
import { CborTagged } from "./cbor/tagged.ts";
import type { ParseCall, ParsedError, Protocol, SerializeCall } from "./protocol.ts";
import { toBytes } from "./shared/blob.ts";
import { headerRequestIds } from "./shared/request-ids.ts";
import { toDate } from "./shared/timestamp.ts";

const PROTOCOL = "smithy-rpc-v2-cbor";
const CBOR = "application/cbor";
const DECIMAL_FRACTION = 4;

export const rpcV2CborProtocol: Protocol = {
  serializeRequest(call: SerializeCall): HttpRequest {
    const { service, operation, endpoint } = call;
    if (!service.targetPrefix) {
      throw new StratusError(`${PROTOCOL}: the schema of ${service.serviceId || "this service"} has no targetPrefix (the service name for request paths)`);
    }
    const base = endpoint.path.endsWith("/") ? endpoint.path.slice(0, -1) : endpoint.path;
    const headers: Record<string, string> = { "smithy-protocol": "rpc-v2-cbor", accept: CBOR };
    if (service.awsQueryCompatible) headers["x-amzn-query-mode"] = "true";
    const request: HttpRequest = {
      method: "POST",
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port,
      path: `${base}/service/${encodeURIComponent(service.targetPrefix)}/operation/${encodeURIComponent(operation.name)}`,
      query: [],
      headers,
    };
    if (operation.input) {
      const body = serializeInput(resolveShape(operation.input), call);
      headers["content-type"] = CBOR;
      headers["content-length"] = String(body.length);
      request.body = body;
    }
    return request;
  },

  parseResponse(call: ParseCall): Record<string, unknown> {
    const { operation, response } = call;
    // No output shape: whatever came back (nothing, or an empty map) carries no members.
    if (!operation.output || response.body.length === 0) return {};
    return readStructure(topLevelMap(decodeCbor(response.body)), resolveShape(operation.output));
  },

  parseError(call: ParseCall): ParsedError {
    const { service, operation, response } = call;
    const body = errorBody(response.body);
    const typeField = body["__type"];
    // "aws.protocoltests#InvalidGreeting" or "…#Name:http://internal.amazon.com/…" → "InvalidGreeting".
    const shapeName = typeof typeField === "string" ? typeField.split(":", 1)[0]?.split("#").pop() || undefined : undefined;
    let code = shapeName ?? String(response.statusCode);
    let type: string | undefined;
    const queryError = service.awsQueryCompatible ? response.headers["x-amzn-query-error"] : undefined;
    if (queryError) {
      const [queryCode, fault] = queryError.split(";");
      if (queryCode) code = queryCode;
      type = fault || undefined;
    }
    const shape = errorShape(operation, shapeName, code);
    const message = body["message"] ?? body["Message"];
    return {
      code,
      message: typeof message === "string" ? message : undefined,
      requestId: response.headers["x-amzn-requestid"],
      shape,
      fields: shape ? readStructure(body, shape) : {},
      type,
    };
  },

  // The body is the output map and nothing else; the ids are in the headers.
  responseMetadata: headerRequestIds,
};

// ---- requests ---------------------------------------------------------------------------

function serializeInput(shape: StructureShape, call: SerializeCall): Uint8Array {
  let input = call.input;
  // Idempotency tokens the caller left out are filled in, on the top-level input as botocore does.
  for (const view of membersOf(shape)) {
    if (view.member.idempotencyToken && input[view.name] == null) {
      input = { ...input, [view.name]: call.idempotencyToken ? call.idempotencyToken() : randomUuid() };
    }
  }
  const writer = new CborWriter();
  writeStructure(writer, shape, input, 0);
  return writer.finish();
}

function writeStructure(writer: CborWriter, shape: StructureShape, input: Readonly<Record<string, unknown>>, depth: number): void {
  const members = membersOf(shape);
  let count = 0;
  for (const view of members) if (input[view.name] != null) count++;
  writer.map(count);
  for (const view of members) {
    const value = input[view.name];
    if (value == null) continue;
    writer.string(view.name);
    writeValue(writer, view.shape, value, view.name, depth + 1);
  }
}

/** `where` names the member being written, for error messages. */
function writeValue(writer: CborWriter, shape: Shape, value: unknown, where: string, depth: number): void {
  if (depth > MAX_ENCODE_DEPTH) throw invalid(where, `nested more than ${MAX_ENCODE_DEPTH} levels deep (a cycle?)`);
  switch (shape.type) {
    case "structure":
      return writeStructure(writer, shape, recordOf(value, where), depth);
    case "list": {
      if (!Array.isArray(value)) throw invalid(where, "expected an array");
      const item = memberShape(shape.member);
      let count = 0;
      for (const element of value) if (element != null) count++;
      writer.array(count);
      for (const element of value) if (element != null) writeValue(writer, item, element, where, depth + 1);
      return;
    }
    case "map": {
      const record = recordOf(value, where);
      const valueShape = memberShape(shape.value);
      const keys = Object.keys(record);
      let count = 0;
      for (const key of keys) if (record[key] != null) count++;
      writer.map(count);
      for (const key of keys) {
        const element = record[key];
        if (element == null) continue;
        writer.string(key);
        writeValue(writer, valueShape, element, where, depth + 1);
      }
      return;
    }
    case "string":
      if (typeof value !== "string") throw invalid(where, "expected a string");
      return writer.string(value);
    case "boolean":
      if (typeof value !== "boolean") throw invalid(where, "expected a boolean");
      return writer.boolean(value);
    case "byte":
    case "short":
    case "integer":
    case "long":
      if (typeof value === "bigint") return writer.bigint(value);
      if (!Number.isInteger(value)) throw invalid(where, "expected an integer");
      return writer.number(value as number);
    case "float":
    case "double":
      return writer.number(floatOf(value, where));
    case "biginteger":
      return writer.bigint(bigintOf(value, where));
    case "bigdecimal": {
      const [exponent, mantissa] = decimalOf(value, where);
      writer.tag(DECIMAL_FRACTION);
      writer.array(2);
      writer.number(exponent);
      return writer.bigint(mantissa);
    }
    case "timestamp":
      return writer.date(toDate(value, `${PROTOCOL}: ${where}`));
    case "blob":
      return writer.bytes(toBytes(value, `${PROTOCOL}: ${where}`));
    case "document":
      throw invalid(where, "document members are not supported by the smithy-rpc-v2-cbor protocol");
  }
}

const NON_FINITE: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Infinity, "-Infinity": -Infinity };

function floatOf(value: unknown, where: string): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  const special = typeof value === "string" ? NON_FINITE[value] : undefined;
  if (special === undefined) throw invalid(where, "expected a number");
  return special;
}

function bigintOf(value: unknown, where: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  throw invalid(where, "expected an integer (bigint, number or string of digits)");
}

/** A decimal (number or numeric string) as [exponent, mantissa]: value = mantissa × 10^exponent. */
function decimalOf(value: unknown, where: string): [number, bigint] {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : typeof value === "string" ? value.trim() : "";
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  const whole = match?.[2] ?? "";
  const fraction = match?.[3] ?? "";
  if (!match || whole + fraction === "") throw invalid(where, "expected a decimal number (number or numeric string)");
  const exponent = Number(match[4] ?? 0) - fraction.length;
  if (!Number.isSafeInteger(exponent)) throw invalid(where, "the decimal's exponent is out of range");
  return [exponent, BigInt(`${match[1]}${whole}${fraction}`)];
}

function recordOf(value: unknown, where: string): Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw invalid(where, "expected an object");
  return value as Readonly<Record<string, unknown>>;
}

function invalid(where: string, problem: string): StratusError {
  return new StratusError(`${PROTOCOL}: ${where}: ${problem}`);
}

// ---- responses --------------------------------------------------------------------------

function topLevelMap(data: unknown): Readonly<Record<string, unknown>> {
  if (!isMap(data)) throw new ParseError(PROTOCOL, "the response body is not a CBOR map");
  return data;
}

/** The error body as a map; an empty or unreadable body gives no fields (the status code then names the error). */
function errorBody(bytes: Uint8Array): Readonly<Record<string, unknown>> {
  if (bytes.length === 0) return {};
  try {
    const data = decodeCbor(bytes);
    return isMap(data) ? data : {};
  } catch (error) {
    if (error instanceof ParseError) return {};
    throw error;
  }
}

/** The modelled error: by the shape name in `__type`, else by a custom code (`error.code`) or name. */
function errorShape(operation: OperationSchema, shapeName: string | undefined, code: string): StructureShape | undefined {
  const errors = (operation.errors ?? []).map((ref) => resolveShape(ref));
  return (
    (shapeName !== undefined ? errors.find((e) => e.name === shapeName) : undefined) ??
    errors.find((e) => e.error?.code === code) ??
    errors.find((e) => e.name === code)
  );
}

/** Decoded CBOR maps are plain objects; everything else the decoder makes is not. */
function isMap(data: unknown): data is Readonly<Record<string, unknown>> {
  return typeof data === "object" && data !== null && Object.getPrototypeOf(data) === Object.prototype;
}

function readStructure(data: Readonly<Record<string, unknown>>, shape: StructureShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const view of membersOf(shape)) {
    const value = Object.hasOwn(data, view.name) ? data[view.name] : undefined;
    if (value == null) continue;
    out[view.name] = readValue(view.shape, value, view.name);
  }
  if (shape.union && Object.keys(out).length === 0) {
    // A member added to the union after this model: keep it, untyped, under `$unknown`.
    for (const [key, value] of Object.entries(data)) {
      if (key !== "__type" && value != null) return { $unknown: [key, value] };
    }
  }
  return out;
}

/** `value` is never null here; `where` names the member, for error messages. Recursion is bounded by the decoder's depth limit. */
function readValue(shape: Shape, value: unknown, where: string): unknown {
  switch (shape.type) {
    case "structure":
      if (!isMap(value)) throw mismatch(where, "a map", value);
      return readStructure(value, shape);
    case "list": {
      if (!Array.isArray(value)) throw mismatch(where, "an array", value);
      const item = memberShape(shape.member);
      const out: unknown[] = [];
      for (const element of value) if (element != null) out.push(readValue(item, element, where));
      return out;
    }
    case "map": {
      if (!isMap(value)) throw mismatch(where, "a map", value);
      const valueShape = memberShape(shape.value);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const element = value[key];
        if (element == null) continue;
        if (key === "__proto__") {
          Object.defineProperty(out, key, { value: readValue(valueShape, element, where), enumerable: true, writable: true, configurable: true });
        } else {
          out[key] = readValue(valueShape, element, where);
        }
      }
      return out;
    }
    case "string":
      if (typeof value !== "string") throw mismatch(where, "a text string", value);
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw mismatch(where, "a boolean", value);
      return value;
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "biginteger": {
      // Any integer encoding, or an integral float (the spec lets a sender choose); a
      // fraction, NaN, ±Infinity or a bignum past a double's range is no integer.
      const n = typeof value === "bigint" ? Number(value) : value;
      if (typeof n === "number" && Number.isInteger(n)) return n;
      throw mismatch(where, "an integer", value);
    }
    case "float":
    case "double":
      if (typeof value === "number") return value;
      if (typeof value === "bigint") return Number(value);
      throw mismatch(where, "a number", value);
    case "bigdecimal":
      return readDecimal(value, where);
    case "timestamp":
      // Tag 1 is decoded to a Date already; a bare number of epoch seconds is tolerated.
      if (value instanceof Date) return value;
      if (typeof value === "number" && Number.isFinite(value)) return new Date(Math.round(value * 1000));
      throw mismatch(where, "a timestamp (tag 1)", value);
    case "blob":
      if (!(value instanceof Uint8Array)) throw mismatch(where, "a byte string", value);
      return value;
    case "document":
      throw new ParseError(PROTOCOL, `${where}: document members are not supported by the smithy-rpc-v2-cbor protocol`);
  }
}

function readDecimal(value: unknown, where: string): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof CborTagged && value.tag === DECIMAL_FRACTION && Array.isArray(value.value) && value.value.length === 2) {
    const [exponent, mantissa] = value.value as [unknown, unknown];
    if ((typeof exponent === "number" || typeof exponent === "bigint") && (typeof mantissa === "number" || typeof mantissa === "bigint")) {
      return Number(`${mantissa}e${exponent}`);
    }
  }
  throw mismatch(where, "a decimal fraction (tag 4)", value);
}

function mismatch(where: string, expected: string, value: unknown): ParseError {
  const got =
    Array.isArray(value) ? "an array"
    : value instanceof Uint8Array ? "a byte string"
    : value instanceof Date ? "a timestamp"
    : value instanceof CborTagged ? `tag ${value.tag}`
    : isMap(value) ? "a map"
    : typeof value;
  return new ParseError(PROTOCOL, `${where}: expected ${expected}, got ${got}`);
}
