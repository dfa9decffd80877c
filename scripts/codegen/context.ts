/**
 * Everything the emitters need to know about one service, worked out once: the runtime
 * schema (built by the core's own `schemaFromBotocore`, so generated data is the core's
 * reading of the model by construction), which shapes are reachable and on which side of a
 * call, and every generated name.
 *
 * Sides: a shape reachable from an operation's input is on the input side; from an output
 * or an error, on the output side. Only where the two differ (timestamps, blobs, streams
 * somewhere below) does a shape used on both sides get two types: the model's name for
 * what the service returns, `<Name>Input` for what the caller sends.
 */
import { schemaFromBotocore, type BotocoreModel, type OperationSchema, type SchemaFromModel, type Shape } from "@stratus/core";
import type { StratusModel } from "./clean-model.ts";
import { camelCase, clientClassName, Scope } from "./names.ts";
import { patchModel } from "./model-patches.ts";

export type Side = "input" | "output";

/** Globals and helper names that types.ts itself refers to, so no shape type may take them. */
export const TYPES_RESERVED = [
  "Date",
  "Uint8Array",
  "Record",
  "AsyncIterable",
  "ReadableStream",
  "Blob",
  "OneOf",
  "JsonDocument",
  "StreamingBlobInput",
  "StreamingBlobOutput",
  "EventStream",
  "E",
];

/** Names ServiceClient and its generated subclass already use for members. */
const CLIENT_MEMBERS = ["constructor", "send", "buildRequest", "presign", "resolveConfig", "destroy", "paginate", "waitUntil"];

/** What an error instance already has (ServiceError, Error): an error shape's member of that name is not redeclared. */
export const ERROR_MEMBERS = new Set(["name", "message", "stack", "cause", "code", "$fault", "$metadata", "$response", "constructor"]);

export interface ServiceContext {
  /** botocore folder name: package folder and npm name. */
  readonly folder: string;
  /** e.g. "models/s3.json", for the generated files' first line. */
  readonly source: string;
  readonly model: StratusModel;
  readonly schema: SchemaFromModel;
  readonly clientName: string;
  readonly baseErrorName: string;
  /** Reachable shapes by model name, sorted by name. */
  readonly shapes: ReadonlyMap<string, Shape>;
  /** Operations by model name, sorted. */
  readonly operations: ReadonlyMap<string, OperationSchema>;
  /** schema.ts identifiers for shapes and operations. */
  readonly shapeConst: ReadonlyMap<string, string>;
  readonly operationConst: ReadonlyMap<string, string>;
  /** Exception shape → error class name. */
  readonly errorClass: ReadonlyMap<string, string>;
  readonly sides: { readonly input: ReadonlySet<string>; readonly output: ReadonlySet<string> };
  /** Shapes whose input and output types differ. */
  readonly differs: ReadonlySet<string>;
  /** Type names in types.ts, per side (the same name on both sides when nothing differs). */
  readonly typeName: { readonly input: ReadonlyMap<string, string>; readonly output: ReadonlyMap<string, string> };
  /** Client method name per operation. */
  readonly method: ReadonlyMap<string, string>;
}

export function serviceContext(folder: string, source: StratusModel): ServiceContext {
  const model = patchModel(folder, source);
  const schema = schemaFromBotocore(model as unknown as BotocoreModel);
  const serviceId = typeof model.metadata["serviceId"] === "string" ? model.metadata["serviceId"] : folder;
  const clientName = clientClassName(serviceId);
  const baseErrorName = `${clientName}ServiceError`;

  const operations = new Map(Object.keys(schema.operations).sort().map((name) => [name, schema.operations[name] as OperationSchema]));

  // Reachability, per side.
  const input = new Set<string>();
  const output = new Set<string>();
  for (const op of operations.values()) {
    if (op.input) walk(resolve(op.input), input);
    if (op.output) walk(resolve(op.output), output);
    for (const error of op.errors ?? []) walk(resolve(error), output);
  }
  const reachable = [...new Set([...input, ...output])].sort();
  const shapes = new Map(reachable.map((name) => [name, schema.shapes[name] as Shape]));

  // schema.ts: one scope for shape and operation constants (plus its imports).
  const schemaScope = new Scope(["S", "service", "DocumentShape", "ListShape", "MapShape", "OperationSchema", "ScalarShape", "ServiceSchema", "StructureShape", "ChecksumAlgorithm"]);
  const shapeConst = new Map(reachable.map((name) => [name, schemaScope.claim(name)]));
  const operationConst = new Map([...operations.keys()].map((name) => [name, schemaScope.claim(name)]));

  // errors.ts and the package entry point share one scope with types.ts names.
  const exported = new Scope([...TYPES_RESERVED, clientName, baseErrorName, "schema", "ServiceError"]);
  const errorClass = new Map<string, string>();
  for (const [name, shape] of shapes) {
    if (shape.type === "structure" && shape.exception) errorClass.set(name, exported.claim(name));
  }

  const differs = differingShapes(shapes);
  const typeInput = new Map<string, string>();
  const typeOutput = new Map<string, string>();
  for (const [name, shape] of shapes) {
    if (!hasNamedType(shape)) continue;
    const inIn = input.has(name);
    const inOut = output.has(name);
    if (inIn && inOut && differs.has(name)) {
      typeOutput.set(name, exported.claim(name));
      typeInput.set(name, exported.claim(`${name}Input`));
    } else {
      const typeName = exported.claim(name);
      if (inIn) typeInput.set(name, typeName);
      if (inOut) typeOutput.set(name, typeName);
    }
  }

  const methods = new Scope(CLIENT_MEMBERS);
  const method = new Map([...operations.keys()].map((name) => [name, methods.claim(camelCase(name))]));

  return {
    folder,
    source: `models/${folder}.json`,
    model,
    schema,
    clientName,
    baseErrorName,
    shapes,
    operations,
    shapeConst,
    operationConst,
    errorClass,
    sides: { input, output },
    differs,
    typeName: { input: typeInput, output: typeOutput },
    method,
  };
}

/** Shapes that get a declaration of their own in types.ts: structures (not errors, not documents), enums. */
export function hasNamedType(shape: Shape): boolean {
  if (shape.type === "structure") return !shape.exception;
  return shape.type === "string" && shape.enum === true;
}

export function resolve<S extends Shape>(ref: S | (() => S)): S {
  return typeof ref === "function" ? ref() : ref;
}

/** The shapes a shape refers to directly. */
export function children(shape: Shape): Shape[] {
  switch (shape.type) {
    case "structure":
      return Object.values(shape.members).map((m) => resolve(m.target));
    case "list":
      return [resolve(shape.member.target)];
    case "map":
      return [resolve(shape.key.target), resolve(shape.value.target)];
    default:
      return [];
  }
}

function walk(shape: Shape, seen: Set<string>): void {
  const name = shape.name;
  if (name === undefined || seen.has(name)) return;
  seen.add(name);
  for (const child of children(shape)) walk(child, seen);
}

/** Shapes with a timestamp or a blob anywhere below them (their input and output types differ). */
function differingShapes(shapes: ReadonlyMap<string, Shape>): Set<string> {
  const out = new Set<string>();
  for (const [name, shape] of shapes) if (shape.type === "timestamp" || shape.type === "blob") out.add(name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, shape] of shapes) {
      if (out.has(name)) continue;
      if (children(shape).some((child) => child.name !== undefined && out.has(child.name))) {
        out.add(name);
        changed = true;
      }
    }
  }
  return out;
}
