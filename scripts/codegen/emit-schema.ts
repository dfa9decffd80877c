/**
 * schema.ts: the service's runtime schema as inert data, in the layout of the core's
 * `schema/types.ts`. One exported constant per operation and per reachable shape, named as
 * in the model.
 *
 * Scalars are object literals. Structures, lists, maps and operations are JSON text read by
 * the core's `shapeFromJson` / `operationFromJson` (schema/from-json.ts), each with a thunk
 * listing the shapes it points at (`() => [S.BucketName, …]`; a member's `target` is an
 * index into that list). A structure's members are a JSON text of their own, which the
 * core parses when they are first read. JSON strings cost a cold start far less than object literals full
 * of arrow functions (from-json.ts says how much), and the thunks keep what bundlers need:
 * every reference is visible and each call is marked pure, so unused shapes are dropped.
 * Each constant is annotated with its core type.
 *
 * Thunks reach the other constants through the module's own namespace (`S.BucketName`,
 * `import * as S from "./schema.ts"`), not the bare name: for a bare `const` captured in an
 * arrow function, TypeScript walks the module's control flow back from the arrow to the
 * declaration, which over EC2's 20,000 references costs seconds of type-checking; a
 * property access stops at the arrow. At run time it is the same binding.
 *
 * The values are the ones `schemaFromBotocore` builds from the same model, only written
 * down; test/generator/schema-equivalence.test.ts checks that, shape by shape.
 */
import type { Member, OperationSchema, Shape, ShapeRef, StructureShape } from "@stratus/core";
import { resolve, type ServiceContext } from "./context.ts";
import { generatedHeader } from "./header.ts";
import { printLiteral } from "./print.ts";

const SHAPE_TYPE: Record<Shape["type"], string> = {
  structure: "StructureShape",
  list: "ListShape",
  map: "MapShape",
  document: "DocumentShape",
  string: "ScalarShape",
  boolean: "ScalarShape",
  byte: "ScalarShape",
  short: "ScalarShape",
  integer: "ScalarShape",
  long: "ScalarShape",
  float: "ScalarShape",
  double: "ScalarShape",
  bigdecimal: "ScalarShape",
  biginteger: "ScalarShape",
  timestamp: "ScalarShape",
  blob: "ScalarShape",
};

export function emitSchema(ctx: ServiceContext): string {
  /** The references of one constant: a shape's index in its list, each shape listed once. */
  class References {
    readonly names: string[] = [];
    index(target: ShapeRef): number {
      const shape = resolve(target);
      const name = shape.name === undefined ? undefined : ctx.shapeConst.get(shape.name);
      if (name === undefined) throw new Error(`${ctx.folder}: a reference to an unnamed or unreachable shape`);
      const at = this.names.indexOf(name);
      if (at >= 0) return at;
      this.names.push(name);
      return this.names.length - 1;
    }
    thunk(): string {
      return `() => [${this.names.map((name) => `S.${name}`).join(", ")}]`;
    }
  }
  const member = (m: Member, refs: References): Record<string, unknown> => ({ ...m, target: refs.index(m.target) });

  const types = new Set<string>(["ServiceSchema", "OperationSchema"]);
  const fromJson = new Set<string>();
  const operations: string[] = [];
  for (const [name, op] of ctx.operations) {
    const refs = new References();
    const data: Record<string, unknown> = { ...op };
    if (op.input) data["input"] = refs.index(op.input);
    if (op.output) data["output"] = refs.index(op.output);
    if (op.errors) data["errors"] = op.errors.map((e: ShapeRef<StructureShape>) => refs.index(e));
    fromJson.add("operationFromJson");
    operations.push(
      `export const ${ctx.operationConst.get(name)}: OperationSchema = /* @__PURE__ */ operationFromJson(${jsonLiteral(data)}, ${refs.thunk()});\n`,
    );
  }

  const shapes: string[] = [];
  for (const [name, shape] of ctx.shapes) {
    const type = SHAPE_TYPE[shape.type];
    types.add(type);
    const refs = new References();
    let data: Record<string, unknown>;
    if (shape.type === "structure") {
      // The members apart: the core parses them on first use (from-json.ts).
      const { members, ...head } = shape;
      const memberData = Object.fromEntries(Object.entries(members).map(([k, m]) => [k, member(m, refs)]));
      fromJson.add("shapeFromJson");
      shapes.push(
        `export const ${ctx.shapeConst.get(name)}: ${type} = /* @__PURE__ */ shapeFromJson(${jsonLiteral(head)}, ${refs.thunk()}, ${jsonLiteral(memberData)});\n`,
      );
      continue;
    } else if (shape.type === "list") {
      data = { ...shape, member: member(shape.member, refs) };
    } else if (shape.type === "map") {
      data = { ...shape, key: member(shape.key, refs), value: member(shape.value, refs) };
    } else {
      shapes.push(`export const ${ctx.shapeConst.get(name)}: ${type} = ${printLiteral({ ...shape })};\n`);
      continue;
    }
    fromJson.add("shapeFromJson");
    shapes.push(
      `export const ${ctx.shapeConst.get(name)}: ${type} = /* @__PURE__ */ shapeFromJson(${jsonLiteral(data)}, ${refs.thunk()});\n`,
    );
  }

  return [
    generatedHeader(ctx.source),
    fromJson.size > 0 ? `import { ${[...fromJson].sort().join(", ")} } from "@stratus/core";\n` : "",
    `import type { ${[...types].sort().join(", ")} } from "@stratus/core";\n`,
    'import * as S from "./schema.ts";\n',
    "\n",
    `export const service: ServiceSchema = ${printLiteral(ctx.schema.service)};\n`,
    "\n// ---- operations ----\n\n",
    ...operations,
    "\n// ---- shapes ----\n\n",
    ...shapes,
  ].join("");
}

/** JSON text as a single-quoted string literal (JSON is full of double quotes). */
function jsonLiteral(data: unknown): string {
  const json = JSON.stringify(data);
  return `'${json.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
