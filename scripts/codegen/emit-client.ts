/**
 * client.ts: the service's definition for the core and its client class.
 *
 *   definition        { schema, protocol, endpointRuleSet, baseError, errors by wire code, hooks? }
 *   class <Client>    extends ServiceClient; one async method per operation, each a typed
 *                     call of `send` with the operation's schema constant; `paginate.<op>()`
 *                     and `waitUntil.<waiter>()` over the core's paginate/waitFor.
 *
 * `protocol` is the core's module for the service's protocol, imported by name (e.g.
 * `restXmlProtocol`), so a bundler keeps that protocol and drops the other five.
 *
 * Doc comments hold only the link to the operation's AWS API reference page (from the
 * model's `uid`), never model prose.
 */
import type { ProtocolName } from "@stratus/core";
import type { JsonObject } from "./botocore-data.ts";
import { resolve, type ServiceContext } from "./context.ts";
import { errorCodes } from "./emit-errors.ts";
import { generatedHeader } from "./header.ts";
import { camelCase, pagConst, propertyKey, Scope, waiterConst } from "./names.ts";
import { memberType, type Qualifiers } from "./type-refs.ts";

const Q: Qualifiers = { types: "T.", errors: "E." };

/** The core's export for each protocol (a Record: a new protocol name must be given one). */
const PROTOCOL_EXPORTS: Record<ProtocolName, string> = {
  json: "jsonProtocol",
  "rest-json": "restJsonProtocol",
  query: "queryProtocol",
  ec2: "ec2Protocol",
  "rest-xml": "restXmlProtocol",
  "smithy-rpc-v2-cbor": "rpcV2CborProtocol",
};

export interface ClientOptions {
  /** The package has src/customizations/hooks.ts exporting `hooks` (a ServiceHooks). */
  readonly hasHooks: boolean;
}

export function emitClient(ctx: ServiceContext, options: ClientOptions): string {
  const uid = typeof ctx.model.metadata["uid"] === "string" ? ctx.model.metadata["uid"] : undefined;
  const link = (operation: string): string =>
    uid ? `https://docs.aws.amazon.com/goto/WebAPI/${uid}/${operation}` : `the ${operation} operation of ${ctx.source}`;
  const deprecated = (operation: string): boolean => ctx.model.operations[operation]?.["deprecated"] === true;
  const doc = (operation: string, indent: string): string =>
    deprecated(operation) ? `${indent}/**\n${indent} * ${link(operation)}\n${indent} * @deprecated\n${indent} */\n` : `${indent}/** ${link(operation)} */\n`;

  const methods: string[] = [];
  for (const name of ctx.operations.keys()) {
    const input = inputParam(ctx, name);
    methods.push(
      `\n${doc(name, "  ")}` +
        `  ${ctx.method.get(name)}(${input}, options?: CallOptions): Promise<Output<${outputType(ctx, name)}>> {\n` +
        `    return this.send<${outputType(ctx, name)}>(S.${ctx.operationConst.get(name)}, input, options);\n` +
        "  }\n",
    );
  }

  const paginators = entries(ctx.model.paginators).filter(([name]) => ctx.operations.has(name));
  const paginatorScope = new Scope();
  const paginate = paginators.map(([name, config]) => {
    const method = ctx.method.get(name) as string;
    const input = inputType(ctx, name);
    const output = outputType(ctx, name);
    const item = itemType(ctx, name, config);
    return (
      `${doc(name, "    ")}` +
      `    ${paginatorScope.claim(method)}: (${inputParam(ctx, name)}, options?: PaginateOptions): Paginator<Output<${output}>, ${item}> =>\n` +
      `      paginate<${input}, Output<${output}>, ${item}>((i, o) => this.${method}(i, o), P.${pagConst(name)}, input, options),\n`
    );
  });

  const waiters = entries(ctx.model.waiters).filter(([, w]) => typeof w["operation"] === "string" && ctx.operations.has(w["operation"]));
  const waiterScope = new Scope();
  const waitUntil = waiters.map(([waiterName, config]) => {
    const op = config["operation"] as string;
    const method = ctx.method.get(op) as string;
    const input = inputType(ctx, op);
    const output = outputType(ctx, op);
    return (
      `${doc(op, "    ")}` +
      `    ${waiterScope.claim(camelCase(waiterName))}: (${inputParam(ctx, op)}, options?: WaitOptions): Promise<WaiterResult<Output<${output}>>> =>\n` +
      `      waitFor<${input}, Output<${output}>>((i, o) => this.${method}(i, o), W.${waiterConst(waiterName)}, input, options),\n`
    );
  });

  const codes = [...errorCodes(ctx)].map(([code, className]) => `    ${propertyKey(code)}: E.${className},\n`);
  const protocolExport = PROTOCOL_EXPORTS[ctx.schema.service.protocol];
  const coreValues = [protocolExport, "ServiceClient", ...(paginate.length ? ["paginate"] : []), ...(waitUntil.length ? ["waitFor"] : [])];
  const coreTypes = [
    "CallOptions",
    "ClientConfig",
    "Output",
    ...(paginate.length ? ["PaginateOptions", "Paginator"] : []),
    "ServiceDefinition",
    ...(waitUntil.length ? ["WaiterResult", "WaitOptions"] : []),
  ];
  const imports = [
    `import { ${[...coreValues.sort(), ...coreTypes.sort().map((t) => `type ${t}`)].join(", ")} } from "@stratus/core";\n`,
    ...(options.hasHooks ? ['import { hooks } from "../customizations/hooks.ts";\n'] : []),
    'import { endpointRuleSet } from "./endpoint-rule-set.ts";\n',
    'import * as E from "./errors.ts";\n',
    ...(paginate.length ? ['import * as P from "./paginators.ts";\n'] : []),
    'import * as S from "./schema.ts";\n',
    'import type * as T from "./types.ts";\n',
    ...(waitUntil.length ? ['import * as W from "./waiters.ts";\n'] : []),
  ];

  return [
    generatedHeader(ctx.source),
    ...imports,
    `\n/** What this package hands to the core: ${ctx.clientName}'s schema, protocol, endpoint rules and errors. */\n`,
    "export const definition: ServiceDefinition = {\n",
    "  schema: S.service,\n",
    `  protocol: ${protocolExport},\n`,
    "  endpointRuleSet,\n",
    `  baseError: E.${ctx.baseErrorName},\n`,
    codes.length ? `  errors: {\n${codes.join("")}  },\n` : "  errors: {},\n",
    ...(options.hasHooks ? ["  hooks,\n"] : []),
    "};\n",
    `\n/** ${ctx.clientName} (${ctx.source}): one method per operation. */\n`,
    `export class ${ctx.clientName} extends ServiceClient {\n`,
    "  constructor(config?: ClientConfig) {\n",
    "    super(definition, config);\n",
    "  }\n",
    ...(paginate.length ? ["\n  /** Paginated operations: async-iterable pages, with `items()`, `search()` and `buildFullResult()`. */\n", "  readonly paginate = {\n", ...paginate, "  };\n"] : []),
    ...(waitUntil.length ? ["\n  /** Waiters: poll an operation until the resource reaches a state. */\n", "  readonly waitUntil = {\n", ...waitUntil, "  };\n"] : []),
    ...methods,
    "}\n",
  ].join("");
}

function entries(o: { readonly [k: string]: JsonObject } | undefined): [string, JsonObject][] {
  return Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function inputType(ctx: ServiceContext, operation: string): string {
  const op = ctx.operations.get(operation);
  const shape = op?.input ? resolve(op.input) : undefined;
  if (!shape) return "Record<string, never>";
  return `T.${ctx.typeName.input.get(shape.name) ?? "never"}`;
}

/** `input: T.X`, or `input: T.X = {}` when nothing in it is required. */
function inputParam(ctx: ServiceContext, operation: string): string {
  const op = ctx.operations.get(operation);
  const shape = op?.input ? resolve(op.input) : undefined;
  const optional = !shape || !shape.required || shape.required.length === 0;
  return `input: ${inputType(ctx, operation)}${optional ? " = {}" : ""}`;
}

function outputType(ctx: ServiceContext, operation: string): string {
  const op = ctx.operations.get(operation);
  const shape = op?.output ? resolve(op.output) : undefined;
  if (!shape) return "{}";
  return `T.${ctx.typeName.output.get(shape.name) ?? "never"}`;
}

/**
 * The element type of a paginator's primary result key when it is a plain member path
 * ("Contents", "StreamDescription.Shards"); `unknown` for other JMESPath expressions.
 */
function itemType(ctx: ServiceContext, operation: string, config: JsonObject): string {
  const resultKey = config["result_key"];
  const path = typeof resultKey === "string" ? resultKey : Array.isArray(resultKey) && typeof resultKey[0] === "string" ? resultKey[0] : undefined;
  const op = ctx.operations.get(operation);
  if (!path || !op?.output || !/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(path)) return "unknown";
  let shape = resolve(op.output) as ReturnType<typeof resolve>;
  let member;
  for (const part of path.split(".")) {
    if (shape.type !== "structure") return "unknown";
    member = shape.members[part];
    if (!member) return "unknown";
    shape = resolve(member.target);
  }
  if (shape.type !== "list") return "unknown";
  return memberType(ctx, shape.member, "output", Q);
}
