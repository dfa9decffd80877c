/**
 * A value as XML elements, driven by its shape (the rest-xml body writer; botocore's
 * `RestXMLSerializer._serialize_type_*`). One exhaustive `switch` on the shape type:
 *
 *   structure  <Name xmlns?="…" attr="…"> one child per set member, model order </Name>
 *   list       <Name><member>…</member>…</Name>; flattened: <Name>…</Name> repeated
 *   map        <Name><entry><key>…</key><value>…</value></entry>…</Name>;
 *              flattened: <Name><key>…</key><value>…</value></Name> repeated
 *   scalar     <Name>text</Name>  (see scalars.ts; timestamps default to ISO-8601)
 *
 * Names: a structure member's element is its `locationName`, else its member name; list
 * items are the list member's `locationName`, else "member"; map keys and values are
 * "key"/"value" unless the key or value member renames them. A flattened list repeats the
 * structure member's own name. Namespaces: `xmlns` goes on the element whose member (or,
 * failing that, target shape) declares `xmlNamespace`; attributes come from members
 * marked `xmlAttribute`. Members left unset (undefined or null) are not written.
 */
import { StratusError } from "../../errors/index.ts";
import { memberShape, membersOf, type MemberView } from "../../schema/normalize.ts";
import type { ListShape, MapShape, Member, Shape, StructureShape, XmlNamespace } from "../../schema/types.ts";
import { listItems, mapEntries, structureFields } from "./input-values.ts";
import { scalarToText } from "./scalars.ts";
import { declareNamespace, xmlNode, type XmlNode } from "./writer.ts";

/** A structure as a whole element (a request root or a payload). */
export function structureToXml(
  name: string,
  shape: StructureShape,
  value: Readonly<Record<string, unknown>>,
  namespace: XmlNamespace | undefined,
  where: string,
  members: (view: MemberView) => boolean = () => true,
): XmlNode {
  const node = xmlNode(name);
  declareNamespace(node, namespace ?? shape.xmlNamespace);
  fillStructure(node, shape, value, where, members);
  return node;
}

function fillStructure(
  node: XmlNode,
  shape: StructureShape,
  value: Readonly<Record<string, unknown>>,
  where: string,
  include: (view: MemberView) => boolean,
): void {
  for (const view of membersOf(shape)) {
    if (!include(view)) continue;
    const memberValue = value[view.name];
    if (memberValue === undefined || memberValue === null) continue;
    const at = `${where}.${view.name}`;
    if (view.member.xmlAttribute) {
      if (view.shape.type === "structure" || view.shape.type === "list" || view.shape.type === "map" || view.shape.type === "document") {
        throw new StratusError(`${at}: an XML attribute must be a scalar`);
      }
      node.attributes.push([view.wireName, scalarToText(view.shape, view.member, memberValue, "iso8601", at)]);
      continue;
    }
    appendValue(node, view.wireName, view.member, view.shape, memberValue, at);
  }
}

/** Appends the element(s) for one value: one for most shapes, several for flattened lists and maps. */
function appendValue(parent: XmlNode, name: string, member: Member, shape: Shape, value: unknown, where: string): void {
  switch (shape.type) {
    case "structure": {
      const node = xmlNode(name);
      declareNamespace(node, member.xmlNamespace ?? shape.xmlNamespace);
      fillStructure(node, shape, structureFields(value, where), where, () => true);
      parent.children.push(node);
      return;
    }
    case "list":
      appendList(parent, name, member, shape, listItems(value, where), where);
      return;
    case "map":
      appendMap(parent, name, member, shape, mapEntries(value, where), where);
      return;
    case "document":
      throw new StratusError(`${where}: document values cannot be written as XML`);
    default: {
      const node = xmlNode(name);
      declareNamespace(node, member.xmlNamespace ?? shape.xmlNamespace);
      node.children.push(scalarToText(shape, member, value, "iso8601", where));
      parent.children.push(node);
    }
  }
}

function appendList(parent: XmlNode, name: string, member: Member, shape: ListShape, items: readonly unknown[], where: string): void {
  const itemShape = memberShape(shape.member);
  if (member.flattened || shape.flattened) {
    items.forEach((item, i) => {
      if (item !== undefined && item !== null) appendValue(parent, name, shape.member, itemShape, item, `${where}[${i}]`);
    });
    return;
  }
  const node = xmlNode(name);
  declareNamespace(node, member.xmlNamespace);
  const itemName = shape.member.locationName ?? "member";
  items.forEach((item, i) => {
    if (item !== undefined && item !== null) appendValue(node, itemName, shape.member, itemShape, item, `${where}[${i}]`);
  });
  parent.children.push(node);
}

function appendMap(
  parent: XmlNode,
  name: string,
  member: Member,
  shape: MapShape,
  entries: ReadonlyArray<readonly [string, unknown]>,
  where: string,
): void {
  const keyShape = memberShape(shape.key);
  const valueShape = memberShape(shape.value);
  const keyName = shape.key.locationName ?? "key";
  const valueName = shape.value.locationName ?? "value";
  const flattened = member.flattened === true || shape.flattened === true;
  const container = flattened ? parent : xmlNode(name);
  if (!flattened) declareNamespace(container, member.xmlNamespace);
  for (const [key, entryValue] of entries) {
    if (entryValue === undefined || entryValue === null) continue;
    const entry = xmlNode(flattened ? name : "entry");
    if (flattened) declareNamespace(entry, member.xmlNamespace);
    appendValue(entry, keyName, shape.key, keyShape, key, `${where}(key)`);
    appendValue(entry, valueName, shape.value, valueShape, entryValue, `${where}.${key}`);
    container.children.push(entry);
  }
  if (!flattened) parent.children.push(container);
}
