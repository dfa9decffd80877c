/**
 * The awsQuery form body, shared by query and ec2 (botocore's `QuerySerializer`, of which
 * `EC2Serializer` is a variant): the input flattened into `Action=…&Version=…&Key=value`
 * pairs, keys built by walking the shape.
 *
 *   structure  Prefix.MemberKey=…           (MemberKey: the style decides)
 *   list       Prefix.member.N=…            flattened: Prefix.N=…   (N from 1)
 *              empty: `Prefix=` when the style sends empty lists
 *   map        Prefix.entry.N.key=… / Prefix.entry.N.value=…
 *              flattened: Prefix.N.key=…; "key"/"value" renamed by the map's key/value members
 *   scalar     see scalars.ts (timestamps default to ISO-8601, blobs base64)
 *
 * The two protocols differ only in a `FormStyle` (how a member's key is named, whether
 * every list is flattened, whether an empty list is sent); each protocol module holds its
 * own style, so the differences read in one place.
 */
import { StratusError } from "../../errors/index.ts";
import type { HttpRequest } from "../../http/http-request.ts";
import { utf8Length } from "../../platform/bytes.ts";
import { uriEscape } from "../../signing/uri-encode.ts";
import { memberShape, membersOf, resolveShape, type MemberView } from "../../schema/normalize.ts";
import type { ListShape, MapShape, Member, Shape, StructureShape } from "../../schema/types.ts";
import type { SerializeCall } from "../protocol.ts";
import { fillIdempotencyTokens, prefixedHostname } from "../rest/bindings.ts";
import { listItems, mapEntries, structureFields } from "./input-values.ts";
import { scalarToText } from "./scalars.ts";

export interface FormStyle {
  /** The key segment of a structure member. */
  readonly memberKey: (view: MemberView) => string;
  /** Every list is written flattened, whatever the model says (ec2). */
  readonly flattenAllLists: boolean;
  /** An empty list is sent as `Prefix=` (query) rather than left out (ec2). */
  readonly sendEmptyLists: boolean;
}

export type FormPairs = Array<[string, string]>;

/** The request for a form-bodied protocol: POST of the form to the endpoint. */
export function formRequest(call: SerializeCall, style: FormStyle): HttpRequest {
  const { service, operation, endpoint } = call;
  const pairs: FormPairs = [
    ["Action", operation.name],
    ["Version", service.apiVersion],
  ];
  const structure = operation.input ? resolveShape(operation.input) : undefined;
  const input = structure ? fillIdempotencyTokens(structure, call.input, call.idempotencyToken) : call.input;
  if (structure) addStructure(pairs, "", structure, input, style, "input");
  const body = pairs.map(([name, value]) => `${uriEscape(name)}=${uriEscape(value)}`).join("&");
  return {
    method: operation.http.method,
    protocol: endpoint.protocol,
    hostname: prefixedHostname(operation, structure, input, endpoint),
    port: endpoint.port,
    path: joinPath(endpoint.path, operation.http.requestUri),
    query: [],
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(utf8Length(body)),
    },
    body,
  };
}

/** The endpoint's base path joined to the operation's request URI ("/custom" + "/" → "/custom/"). */
function joinPath(base: string, requestUri: string): string {
  const path = requestUri.split("?")[0] ?? "/";
  return `${base.replace(/\/+$/, "")}${path.startsWith("/") ? path : `/${path}`}`;
}

function key(prefix: string, segment: string): string {
  return prefix ? `${prefix}.${segment}` : segment;
}

function addStructure(
  pairs: FormPairs,
  prefix: string,
  shape: StructureShape,
  value: Readonly<Record<string, unknown>>,
  style: FormStyle,
  where: string,
): void {
  for (const view of membersOf(shape)) {
    const memberValue = value[view.name];
    if (memberValue === undefined || memberValue === null) continue;
    addValue(pairs, key(prefix, style.memberKey(view)), view.member, view.shape, memberValue, style, `${where}.${view.name}`);
  }
}

function addValue(pairs: FormPairs, prefix: string, member: Member, shape: Shape, value: unknown, style: FormStyle, where: string): void {
  switch (shape.type) {
    case "structure":
      addStructure(pairs, prefix, shape, structureFields(value, where), style, where);
      return;
    case "list":
      addList(pairs, prefix, member, shape, listItems(value, where), style, where);
      return;
    case "map":
      addMap(pairs, prefix, member, shape, mapEntries(value, where), style, where);
      return;
    case "document":
      throw new StratusError(`${where}: document values cannot be sent in a form body`);
    default:
      pairs.push([prefix, scalarToText(shape, member, value, "iso8601", where)]);
  }
}

function addList(
  pairs: FormPairs,
  prefix: string,
  member: Member,
  shape: ListShape,
  items: readonly unknown[],
  style: FormStyle,
  where: string,
): void {
  if (items.length === 0) {
    if (style.sendEmptyLists) pairs.push([prefix, ""]);
    return;
  }
  const flattened = style.flattenAllLists || member.flattened === true || shape.flattened === true;
  const itemPrefix = flattened ? prefix : key(prefix, shape.member.locationName ?? "member");
  const itemShape = memberShape(shape.member);
  items.forEach((item, i) => {
    if (item === undefined || item === null) return;
    addValue(pairs, `${itemPrefix}.${i + 1}`, shape.member, itemShape, item, style, `${where}[${i}]`);
  });
}

function addMap(
  pairs: FormPairs,
  prefix: string,
  member: Member,
  shape: MapShape,
  entries: ReadonlyArray<readonly [string, unknown]>,
  style: FormStyle,
  where: string,
): void {
  const flattened = member.flattened === true || shape.flattened === true;
  const entryPrefix = flattened ? prefix : key(prefix, "entry");
  const keyName = shape.key.locationName ?? "key";
  const valueName = shape.value.locationName ?? "value";
  const keyShape = memberShape(shape.key);
  const valueShape = memberShape(shape.value);
  let n = 0;
  for (const [mapKey, entryValue] of entries) {
    if (entryValue === undefined || entryValue === null) continue;
    n++;
    addValue(pairs, `${entryPrefix}.${n}.${keyName}`, shape.key, keyShape, mapKey, style, `${where}(key)`);
    addValue(pairs, `${entryPrefix}.${n}.${valueName}`, shape.value, valueShape, entryValue, style, `${where}.${mapKey}`);
  }
}
