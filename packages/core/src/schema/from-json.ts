/**
 * How a generated schema.ts writes its structures, lists, maps and operations: each as JSON
 * text, parsed when the module loads, plus one thunk listing the shapes it points at
 *
 *   export const GetObjectRequest: StructureShape = shapeFromJson('{"type":"structure",…}',
 *     () => [S.BucketName, …], '{"Bucket":{"target":0,"location":"uri",…},…}');
 *
 * where a member's `target` (an operation's `input`, `output` and `errors`) is an index into
 * that list. The result is the layout of types.ts, thunks included.
 *
 * Why: a JavaScript object literal is compiled into code that builds it, and each `() => X`
 * in it is a function of its own. S3's ~700 shapes written that way cost ~50 ms of a cold
 * start (compiling and running the module); as JSON strings they are scanned as strings and
 * built by JSON.parse in a few milliseconds. The thunk keeps what a bundler needs: it sees
 * which shapes each one reaches, and the calls are marked pure, so an app that uses two
 * operations still ships only their shapes.
 */
import type { Member, OperationSchema, Shape, StructureShape } from "./types.ts";

/** A member as written in the JSON: `target` is an index into the shape's reference list. */
type JsonMember = Omit<Member, "target"> & { target: number | Member["target"] };

/**
 * Parses one shape and points its members at `references()`. A structure's members may
 * come apart (`membersJson`): they are then parsed on first read of `members` (a getter
 * that replaces itself with the plain value), because they are most of a schema's bytes
 * and a call reads the members of the few structures it touches.
 */
export function shapeFromJson<T extends Shape>(json: string, references: () => readonly Shape[], membersJson?: string): T {
  const shape = JSON.parse(json) as Shape;
  const target = referenceList(references);
  if (shape.type === "structure" && membersJson !== undefined) {
    Object.defineProperty(shape, "members", {
      enumerable: true,
      configurable: true,
      get(): StructureShape["members"] {
        const members = JSON.parse(membersJson) as Record<string, JsonMember>;
        for (const name in members) link(members[name] as JsonMember, target);
        Object.defineProperty(shape, "members", { value: members, enumerable: true, writable: true, configurable: true });
        return members as StructureShape["members"];
      },
    });
  } else if (shape.type === "structure") {
    for (const name in shape.members) link(shape.members[name] as JsonMember, target);
  } else if (shape.type === "list") {
    link(shape.member as JsonMember, target);
  } else if (shape.type === "map") {
    link(shape.key as JsonMember, target);
    link(shape.value as JsonMember, target);
  }
  return shape as T;
}

/** Parses one operation and points its input, output and errors at `references()`. */
export function operationFromJson(json: string, references: () => readonly Shape[]): OperationSchema {
  const operation = JSON.parse(json) as Record<string, unknown>;
  const target = referenceList(references);
  if (typeof operation["input"] === "number") operation["input"] = target(operation["input"]);
  if (typeof operation["output"] === "number") operation["output"] = target(operation["output"]);
  if (Array.isArray(operation["errors"])) operation["errors"] = (operation["errors"] as number[]).map(target);
  return operation as unknown as OperationSchema;
}

/** A thunk per index, all sharing one call of `references` (made on first use). */
function referenceList(references: () => readonly Shape[]): (index: number) => () => StructureShape {
  let list: readonly Shape[] | undefined;
  return (index) => () => (list ??= references())[index] as StructureShape;
}

function link(member: JsonMember, target: (index: number) => () => Shape): void {
  if (typeof member.target === "number") member.target = target(member.target);
}
