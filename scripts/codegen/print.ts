/**
 * Prints plain data as a TypeScript literal: objects, arrays, strings, numbers, booleans,
 * and `Code` fragments written verbatim (a thunk such as `() => BucketName`). Output is
 * deterministic: keys in insertion order, one line while it fits in WIDTH columns, else one
 * entry a line.
 */
import { propertyKey } from "./names.ts";

const WIDTH = 120;

/** Source text placed as is, e.g. a reference to another generated constant. */
export class Code {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export function code(text: string): Code {
  return new Code(text);
}

export function printLiteral(value: unknown, indent = ""): string {
  const flat = flatLiteral(value);
  if (indent.length + flat.length <= WIDTH || !isContainer(value)) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => `${inner}${printLiteral(v, inner)},\n`).join("")}${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{\n${entries.map(([k, v]) => `${inner}${propertyKey(k)}: ${printLiteral(v, inner)},\n`).join("")}${indent}}`;
}

const flatCache = new WeakMap<object, string>();

function flatLiteral(value: unknown): string {
  if (value instanceof Code) return value.text;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot print ${value}`);
    return String(value);
  }
  if (typeof value === "boolean" || value === null) return String(value);
  if (typeof value !== "object" || value === undefined) throw new Error(`cannot print a ${typeof value}`);
  const cached = flatCache.get(value);
  if (cached !== undefined) return cached;
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map(flatLiteral).join(", ")}]`;
  } else {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    text = entries.length ? `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${flatLiteral(v)}`).join(", ")} }` : "{}";
  }
  flatCache.set(value, text);
  return text;
}

function isContainer(value: unknown): boolean {
  if (value instanceof Code || value === null || typeof value !== "object") return false;
  return Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0;
}
