/**
 * types.ts: the TypeScript view of the service's shapes, for callers.
 *
 * - one interface per structure, members with the model's names, optional unless the
 *   model requires them (`/** @deprecated *\/` where the model marks a member so);
 * - a union (`union`, event streams) is `OneOf<{ … }>`: exactly one member set; an output
 *   event stream's union leaves out its exception members (the stream throws those as
 *   their error classes instead of yielding them);
 * - an enum is its values plus `(string & {})`, so a value the service adds later still
 *   type-checks;
 * - a blob that is an input's whole HTTP payload (Lambda's Invoke `Payload`) takes the same
 *   values as a streaming one (`StreamingBlobInput`): the core streams it;
 * - input and output types differ only where the model has timestamps or blobs; a shape
 *   used both ways then has two types, `<Name>` (output) and `<Name>Input` (see context.ts);
 * - error shapes are classes in errors.ts; an event stream that carries one refers to it.
 *
 * Every structure, enum and helper here is exported from the package entry point.
 */
import type { Member, Shape, StructureShape } from "@stratus/core";
import { resolve, type ServiceContext, type Side } from "./context.ts";
import { generatedHeader } from "./header.ts";
import { propertyKey } from "./names.ts";
import { memberType, type Qualifiers } from "./type-refs.ts";

const Q: Qualifiers = { types: "", errors: "E." };

const HELPERS: Record<string, string> = {
  JsonDocument:
    "/** A JSON value: the model's document type. */\n" +
    "export type JsonDocument = null | boolean | number | string | JsonDocument[] | { [key: string]: JsonDocument };\n",
  StreamingBlobInput:
    "/** A request body that may stream: bytes, text, a Blob/File, a web ReadableStream, or any async iterable of bytes or text (a Node Readable). */\n" +
    "export type StreamingBlobInput = Uint8Array | string | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;\n",
  StreamingBlobOutput:
    "/** A streaming response body: read it once, as chunks, `bytes()` or `text()`; dispose of it if unread. */\n" +
    "export type StreamingBlobOutput = ResponseBody;\n",
  OneOf:
    "/** Exactly one member of T is set (a model union). */\n" +
    "type OneOf<T> = { [K in keyof T]: { [P in K]: T[P] } & { [P in Exclude<keyof T, K>]?: never } }[keyof T];\n",
};

export function emitTypes(ctx: ServiceContext): string {
  const body: string[] = [];
  for (const [name, shape] of ctx.shapes) {
    const outName = ctx.typeName.output.get(name);
    const inName = ctx.typeName.input.get(name);
    if (outName !== undefined) body.push(declaration(ctx, name, shape, outName, "output"));
    if (inName !== undefined && inName !== outName) body.push(declaration(ctx, name, shape, inName, "input"));
  }
  const text = body.join("\n");
  const helpers = Object.keys(HELPERS)
    .sort()
    .filter((helper) => new RegExp(`\\b${helper}\\b`).test(text))
    .map((helper) => HELPERS[helper] as string);
  const imports: string[] = [];
  const core = [
    ...(/\bEventStream</.test(text) ? ["EventStream"] : []),
    ...(/\bResponseBody\b/.test(helpers.join("")) ? ["ResponseBody"] : []),
  ];
  if (core.length) imports.push(`import type { ${core.join(", ")} } from "@stratus/core";\n`);
  if (/\bE\./.test(text)) imports.push('import type * as E from "./errors.ts";\n');
  return [generatedHeader(ctx.source), ...imports, imports.length ? "\n" : "", ...helpers.flatMap((h) => [h, "\n"]), text].join("");
}

function declaration(ctx: ServiceContext, name: string, shape: Shape, typeName: string, side: Side): string {
  if (shape.type === "string") {
    const values = ctx.model.shapes[name]?.["enum"];
    const literals = Array.isArray(values) ? values.map((v) => JSON.stringify(String(v))) : [];
    return `export type ${typeName} = ${[...literals, "(string & {})"].join(" | ")};\n`;
  }
  if (shape.type !== "structure") throw new Error(`${ctx.folder}: no declaration for ${shape.type} ${name}`);
  const members = memberLines(ctx, name, shape, side);
  if (shape.union === true || shape.eventstream === true) {
    return members.length ? `export type ${typeName} = OneOf<{\n${members.join("")}}>;\n` : `export type ${typeName} = Record<string, never>;\n`;
  }
  return members.length ? `export interface ${typeName} {\n${members.join("")}}\n` : `export interface ${typeName} {}\n`;
}

function memberLines(ctx: ServiceContext, name: string, shape: StructureShape, side: Side): string[] {
  const required = new Set(shape.union === true || shape.eventstream === true ? Object.keys(shape.members) : (shape.required ?? []));
  const raw = ctx.model.shapes[name]?.["members"];
  const thrown = (member: Member): boolean => side === "output" && shape.eventstream === true && isErrorTarget(ctx, member);
  return Object.entries(shape.members).filter(([, member]) => !thrown(member)).map(([memberName, member]) => {
    const rawMember = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? raw[memberName] : undefined;
    const deprecated = rawMember !== null && typeof rawMember === "object" && !Array.isArray(rawMember) && rawMember?.["deprecated"] === true;
    const optional = required.has(memberName) ? "" : "?";
    const payloadBlob = side === "input" && shape.payload === memberName && resolve(member.target).type === "blob";
    const line = `  ${propertyKey(memberName)}${optional}: ${payloadBlob ? "StreamingBlobInput" : memberType(ctx, member, side, Q)};\n`;
    return deprecated ? `  /** @deprecated */\n${line}` : line;
  });
}

/** A member whose target is an error shape (an event stream's exception event). */
function isErrorTarget(ctx: ServiceContext, member: Member): boolean {
  const target = resolve(member.target);
  return target.type === "structure" && ctx.errorClass.has(target.name);
}
