/**
 * XML elements as output values, driven by the shape (botocore's `BaseXMLResponseParser`),
 * shared by query, ec2 and rest-xml. One exhaustive `switch` on the shape type:
 *
 *   structure  an object with one key per member found (an element that is present but
 *              empty still gives `{}`); a union with no known member found gives
 *              `{ $unknown: [elementName, text] }`
 *   list       every child element, in order; flattened lists are the repeated siblings
 *   map        `entry` children (or the repeated siblings, flattened) with key/value
 *   scalar     see scalars.ts
 *
 * Elements are matched on local names, so a namespace prefix never hides a member. Which
 * siblings make a flattened list is where botocore's models and Smithy's disagree: Smithy
 * names them after the structure member (its `locationName`, else its name), older botocore
 * models after the list's member (`locationName` on the list's `member`). The reader takes
 * siblings with either name, so both kinds of model read the same document. Map keys are written with `defineProperty`, so a key
 * named `__proto__` is just a key.
 */
import { ParseError } from "../../errors/index.ts";
import { memberShape, membersOf, type MemberView } from "../../schema/normalize.ts";
import type { ListShape, MapShape, Shape, StructureShape } from "../../schema/types.ts";
import { childNamed, type XmlElement } from "./document.ts";
import { scalarFromText } from "./scalars.ts";

/**
 * The members of `shape` found in `element`. `include` picks which members the body
 * carries (rest-xml leaves header- and status-bound ones to the HTTP bindings).
 */
export function readStructure(
  element: XmlElement,
  shape: StructureShape,
  protocol: string,
  include: (view: MemberView) => boolean = () => true,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const view of membersOf(shape)) {
    if (!include(view)) continue;
    const value = readMember(element, view, protocol);
    if (value !== undefined) out[view.name] = value;
  }
  if (shape.union && Object.keys(out).length === 0) {
    const known = new Set(membersOf(shape).map((view) => localPart(view.wireName)));
    const unknown = element.children.find((child) => !known.has(child.localName));
    if (unknown) return { $unknown: [unknown.localName, unknown.text] };
  }
  return out;
}

function readMember(parent: XmlElement, view: MemberView, protocol: string): unknown {
  const { member, shape } = view;
  if (member.xmlAttribute) {
    const text = attributeValue(parent, view.wireName);
    return text === undefined || shape.type === "structure" || shape.type === "list" || shape.type === "map" || shape.type === "document"
      ? undefined
      : scalarFromText(shape, text, protocol);
  }
  if (shape.type === "list" && (member.flattened || shape.flattened)) {
    const names = flattenedListNames(view, shape);
    const items = parent.children.filter((child) => names.has(child.localName));
    return items.length === 0 ? undefined : items.map((item) => readValue(item, memberShape(shape.member), protocol));
  }
  if (shape.type === "map" && (member.flattened || shape.flattened)) {
    const name = localPart(view.wireName);
    const entries = parent.children.filter((child) => child.localName === name);
    return entries.length === 0 ? undefined : readEntries(entries, shape, protocol);
  }
  const child = childNamed(parent, localPart(view.wireName));
  return child === undefined ? undefined : readValue(child, shape, protocol);
}

/** The value of one element read as `shape`. */
export function readValue(element: XmlElement, shape: Shape, protocol: string): unknown {
  switch (shape.type) {
    case "structure":
      return readStructure(element, shape, protocol);
    case "list":
      return element.children.map((item) => readValue(item, memberShape(shape.member), protocol));
    case "map":
      return readEntries(element.children, shape, protocol);
    case "document":
      throw new ParseError(protocol, "a document value cannot be read from XML");
    default:
      return scalarFromText(shape, element.text, protocol);
  }
}

function readEntries(entries: readonly XmlElement[], shape: MapShape, protocol: string): Record<string, unknown> {
  const keyName = localPart(shape.key.locationName ?? "key");
  const valueName = localPart(shape.value.locationName ?? "value");
  const valueShape = memberShape(shape.value);
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    const keyElement = childNamed(entry, keyName);
    if (keyElement === undefined) throw new ParseError(protocol, `a map entry has no <${keyName}>`);
    const valueElement = childNamed(entry, valueName);
    if (valueElement === undefined) continue;
    const value = readValue(valueElement, valueShape, protocol);
    if (value === undefined) continue;
    Object.defineProperty(out, keyElement.text, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Element names that make up a flattened list (see the header). */
function flattenedListNames(view: MemberView, shape: ListShape): ReadonlySet<string> {
  const names = new Set([localPart(view.wireName)]);
  if (shape.member.locationName !== undefined) names.add(localPart(shape.member.locationName));
  return names;
}

function attributeValue(element: XmlElement, name: string): string | undefined {
  const exact = element.attributes.get(name);
  if (exact !== undefined) return exact;
  // A prefix chosen by the server may differ from the model's ("xsi:type" vs "x:type").
  const local = localPart(name);
  for (const [attribute, value] of element.attributes) {
    if (!attribute.startsWith("xmlns") && localPart(attribute) === local) return value;
  }
  return undefined;
}

function localPart(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}
