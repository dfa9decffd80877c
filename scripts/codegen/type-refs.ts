/**
 * The TypeScript type of a shape where a member uses it, on one side of a call:
 *
 *   structure            its interface (a union: OneOf<…>; an error: the error class)
 *   event stream         output: EventStream<its union> (the core's async iterable of events,
 *                        without the exception members: those are thrown)
 *                        input: AsyncIterable<its union>
 *   list / map           T[] / Record<string, T>
 *   string with enum     its literal union (`"A" | "B" | (string & {})`)
 *   string               string
 *   boolean / numbers    boolean / number (long, bigdecimal… too: what the parsers return)
 *   timestamp            input: Date | string | number    output: Date
 *   blob                 input: Uint8Array | string       output: Uint8Array
 *   streaming blob       input: StreamingBlobInput        output: StreamingBlobOutput
 *                        (an input's blob payload is StreamingBlobInput too: emit-types.ts)
 *   document             JsonDocument
 *
 * `qualify` says how to write a name of types.ts or errors.ts from the file being written
 * (bare, `T.` or `E.`).
 */
import type { Member, Shape } from "@stratus/core";
import { resolve, type ServiceContext, type Side } from "./context.ts";

export interface Qualifiers {
  /** Prefix for names declared in types.ts. */
  readonly types: string;
  /** Prefix for error classes declared in errors.ts. */
  readonly errors: string;
}

export function memberType(ctx: ServiceContext, member: Member, side: Side, q: Qualifiers): string {
  const shape = resolve(member.target);
  if (member.streaming === true || ("streaming" in shape && shape.streaming === true)) {
    if (shape.type === "blob" || shape.type === "string") return `${q.types}${side === "input" ? "StreamingBlobInput" : "StreamingBlobOutput"}`;
  }
  return shapeType(ctx, shape, side, q);
}

export function shapeType(ctx: ServiceContext, shape: Shape, side: Side, q: Qualifiers): string {
  switch (shape.type) {
    case "structure": {
      const name = shape.name;
      const error = ctx.errorClass.get(name);
      if (error !== undefined) return `${q.errors}${error}`;
      const typeName = ctx.typeName[side].get(name);
      if (typeName === undefined) throw new Error(`${ctx.folder}: no ${side} type for ${name}`);
      if (shape.eventstream !== true) return `${q.types}${typeName}`;
      return side === "output" ? `EventStream<${q.types}${typeName}>` : `AsyncIterable<${q.types}${typeName}>`;
    }
    case "document":
      return `${q.types}JsonDocument`;
    case "list": {
      const item = memberType(ctx, shape.member, side, q);
      return hasTopLevelOperator(item) ? `(${item})[]` : `${item}[]`;
    }
    case "map":
      return `Record<string, ${memberType(ctx, shape.value, side, q)}>`;
    case "string": {
      if (shape.enum !== true || shape.name === undefined) return "string";
      const typeName = ctx.typeName[side].get(shape.name);
      return typeName === undefined ? "string" : `${q.types}${typeName}`;
    }
    case "boolean":
      return "boolean";
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "float":
    case "double":
    case "bigdecimal":
    case "biginteger":
      return "number";
    case "timestamp":
      return side === "input" ? "Date | string | number" : "Date";
    case "blob":
      return side === "input" ? "Uint8Array | string" : "Uint8Array";
  }
}

/** `A | B` needs parentheses before `[]`; `Record<string, A | B>` does not. */
function hasTopLevelOperator(type: string): boolean {
  let depth = 0;
  for (const ch of type) {
    if (ch === "<" || ch === "(" || ch === "{") depth++;
    else if (ch === ">" || ch === ")" || ch === "}") depth--;
    else if (depth === 0 && (ch === "|" || ch === "&")) return true;
  }
  return false;
}
