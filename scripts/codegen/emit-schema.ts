/**
 * schema.ts: the service's runtime schema as inert data, in the layout of the core's
 * `schema/types.ts`. One exported constant per operation and per reachable shape, named as
 * in the model; members point at shapes through thunks (`() => BucketName`), so recursion
 * and any declaration order work and a bundler can drop what a program never reaches.
 * Each constant is annotated with its core type, which checks every field the generator
 * writes (an annotation rather than `satisfies`, because inferring the literal types of
 * mutually recursive thunks is circular for TypeScript and slow on EC2's 4,000 shapes).
 *
 * Thunks reach the other constants through the module's own namespace (`() => S.BucketName`,
 * `import * as S from "./schema.ts"`), not the bare name: for a bare `const` captured in an
 * arrow function, TypeScript walks the module's control flow back from the arrow to the
 * declaration, which over EC2's 20,000 references costs seconds of type-checking; a
 * property access stops at the arrow. At run time it is the same binding.
 *
 * The values are the ones `schemaFromBotocore` builds from the same model, only printed;
 * test/generator/schema-equivalence.test.ts checks that, shape by shape.
 */
import type { Member, OperationSchema, Shape, ShapeRef, StructureShape } from "@stratus/core";
import { resolve, type ServiceContext } from "./context.ts";
import { generatedHeader } from "./header.ts";
import { code, Code, printLiteral } from "./print.ts";

/** The checksum algorithms `ChecksumAlgorithm` in the core names; a model may list more. */
const KNOWN_CHECKSUMS = new Set(["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"]);

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
  const ref = (target: ShapeRef): Code => {
    const shape = resolve(target);
    const name = shape.name === undefined ? undefined : ctx.shapeConst.get(shape.name);
    if (name === undefined) throw new Error(`${ctx.folder}: a reference to an unnamed or unreachable shape`);
    return code(`() => S.${name}`);
  };
  const member = (m: Member): Record<string, unknown> => ({ ...m, target: ref(m.target) });

  const types = new Set<string>(["ServiceSchema", "OperationSchema"]);
  const operations: string[] = [];
  let castChecksums = false;
  for (const [name, op] of ctx.operations) {
    const data: Record<string, unknown> = { ...op };
    if (op.input) data["input"] = ref(op.input);
    if (op.output) data["output"] = ref(op.output);
    if (op.errors) data["errors"] = op.errors.map((e: ShapeRef<StructureShape>) => ref(e));
    const algorithms = op.httpChecksum?.responseAlgorithms;
    if (algorithms?.some((a) => !KNOWN_CHECKSUMS.has(a))) {
      // The model lists algorithms the core's type does not name (yet): kept, as the core reads them.
      castChecksums = true;
      data["httpChecksum"] = { ...op.httpChecksum, responseAlgorithms: code(`${printLiteral(algorithms)} as readonly ChecksumAlgorithm[]`) };
    }
    operations.push(`export const ${ctx.operationConst.get(name)}: OperationSchema = ${printLiteral(data)};\n`);
  }
  if (castChecksums) types.add("ChecksumAlgorithm");

  const shapes: string[] = [];
  for (const [name, shape] of ctx.shapes) {
    const type = SHAPE_TYPE[shape.type];
    types.add(type);
    let data: Record<string, unknown> = { ...shape };
    if (shape.type === "structure") {
      data = { ...shape, members: Object.fromEntries(Object.entries(shape.members).map(([k, m]) => [k, member(m)])) };
    } else if (shape.type === "list") {
      data = { ...shape, member: member(shape.member) };
    } else if (shape.type === "map") {
      data = { ...shape, key: member(shape.key), value: member(shape.value) };
    }
    shapes.push(`export const ${ctx.shapeConst.get(name)}: ${type} = ${printLiteral(data)};\n`);
  }

  return [
    generatedHeader(ctx.source),
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
