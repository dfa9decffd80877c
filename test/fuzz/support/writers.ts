/**
 * Documents written from a value and its shape, the way a service writes its answer, by
 * code that shares nothing with the SDK's readers (so a round trip through a parser tests
 * the parser, not the parser against itself).
 *
 *   xmlDocument   restXml / awsQuery bodies: members as child elements named by
 *                 locationName, flattened lists as repeated siblings, other lists as
 *                 <member> items, maps as <entry><key/><value/></entry>; text escaped, with
 *                 every character XML might normalise (CR, and TAB/LF in attributes)
 *                 written as a character reference
 *   jsonDocument  awsJson / restJson bodies: members keyed by locationName, timestamps as
 *                 epoch seconds, blobs as base64, NaN and ±Infinity as their strings
 */
import { memberShape, membersOf } from "../../../packages/core/src/schema/normalize.ts";
import type { Shape, StructureShape } from "../../../packages/core/src/schema/types.ts";

// ---- XML ------------------------------------------------------------------------------

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A whole document whose root element is `rootName` holding `value` as `shape`. */
export function xmlDocument(rootName: string, shape: StructureShape, value: Readonly<Record<string, unknown>>, wrap = (inner: string) => inner): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${wrap(xmlElement(rootName, shape, value))}`;
}

export function xmlElement(name: string, shape: Shape, value: unknown): string {
  return `<${name}>${xmlContent(shape, value)}</${name}>`;
}

function xmlContent(shape: Shape, value: unknown): string {
  switch (shape.type) {
    case "structure": {
      const record = value as Record<string, unknown>;
      let out = "";
      for (const view of membersOf(shape)) {
        if (!Object.hasOwn(record, view.name)) continue;
        const member = record[view.name];
        const name = localPart(view.wireName);
        const target = view.shape;
        if (target.type === "list" && (view.member.flattened || target.flattened)) {
          for (const item of member as unknown[]) out += xmlElement(name, memberShape(target.member), item);
        } else if (target.type === "map" && (view.member.flattened || target.flattened)) {
          out += mapEntries(target, member, name);
        } else {
          out += xmlElement(name, target, member);
        }
      }
      return out;
    }
    case "list": {
      const itemName = localPart(shape.member.locationName ?? "member");
      return (value as unknown[]).map((item) => xmlElement(itemName, memberShape(shape.member), item)).join("");
    }
    case "map":
      return mapEntries(shape, value, "entry");
    case "document":
      throw new Error("a document has no XML form");
    default:
      return escapeXml(scalarText(shape, value));
  }
}

function mapEntries(shape: Extract<Shape, { type: "map" }>, value: unknown, entryName: string): string {
  const keyName = localPart(shape.key.locationName ?? "key");
  const valueName = localPart(shape.value.locationName ?? "value");
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `<${entryName}><${keyName}>${escapeXml(k)}</${keyName}>${xmlElement(valueName, memberShape(shape.value), v)}</${entryName}>`)
    .join("");
}

function scalarText(shape: Shape, value: unknown): string {
  switch (shape.type) {
    case "timestamp":
      return (value as Date).toISOString();
    case "blob":
      return Buffer.from(value as Uint8Array).toString("base64");
    case "string":
      return value as string;
    default:
      return String(value);
  }
}

function localPart(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

// ---- JSON -----------------------------------------------------------------------------

export function jsonDocument(shape: Shape, value: unknown): string {
  return JSON.stringify(jsonData(shape, value));
}

export function jsonData(shape: Shape, value: unknown): unknown {
  switch (shape.type) {
    case "structure": {
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const view of membersOf(shape)) {
        if (Object.hasOwn(record, view.name)) define(out, view.wireName, jsonData(view.shape, record[view.name]));
      }
      return out;
    }
    case "list":
      return (value as unknown[]).map((item) => jsonData(memberShape(shape.member), item));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) define(out, k, jsonData(memberShape(shape.value), v));
      return out;
    }
    case "timestamp":
      return (value as Date).getTime() / 1000;
    case "blob":
      return Buffer.from(value as Uint8Array).toString("base64");
    case "float":
    case "double":
      return Number.isFinite(value) ? value : String(value);
    default:
      return value;
  }
}

/** Keeps "__proto__" an own key, so JSON.stringify writes it. */
function define(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}
