/**
 * errors.ts: the service's error classes.
 *
 *   ServiceError (core) └─ <Client>ServiceError └─ one class per modelled error shape
 *
 * A modelled error's members are declared (type only: the core's ServiceError sets them
 * from the parsed response), except those an error already has (`message`, `code`, `name`…).
 * `name` is the model's shape name. The table by wire code that the client hands to the
 * core is built in client.ts, so this module exports classes only.
 */
import { ERROR_MEMBERS, type ServiceContext } from "./context.ts";
import { generatedHeader } from "./header.ts";
import { propertyKey } from "./names.ts";
import { memberType, type Qualifiers } from "./type-refs.ts";

const Q: Qualifiers = { types: "T.", errors: "" };

export function emitErrors(ctx: ServiceContext): string {
  const out: string[] = [
    generatedHeader(ctx.source),
    'import { ServiceError } from "@stratus/core";\n',
  ];
  const classes: string[] = [];
  for (const [shapeName, className] of ctx.errorClass) {
    const shape = ctx.shapes.get(shapeName);
    if (shape?.type !== "structure") continue;
    const fields = Object.entries(shape.members)
      .filter(([name]) => !ERROR_MEMBERS.has(name))
      .map(([name, member]) => `  declare readonly ${propertyKey(name)}?: ${memberType(ctx, member, "output", Q)};\n`);
    classes.push(
      `\nexport class ${className} extends ${ctx.baseErrorName} {\n  override name = ${JSON.stringify(shapeName)};\n${fields.join("")}}\n`,
    );
  }
  if (classes.some((c) => c.includes("T."))) out.push('import type * as T from "./types.ts";\n');
  out.push(
    `\n/** Any error ${ctx.clientName} answered with; modelled errors are subclasses. */\n`,
    `export class ${ctx.baseErrorName} extends ServiceError {}\n`,
    ...classes,
  );
  return out.join("");
}

/** Wire code → error class name: each shape's name, then its `error.code` where the model sets one. */
export function errorCodes(ctx: ServiceContext): Map<string, string> {
  const byCode = new Map<string, string>();
  for (const [shapeName, className] of ctx.errorClass) byCode.set(shapeName, className);
  for (const [shapeName, className] of ctx.errorClass) {
    const shape = ctx.shapes.get(shapeName);
    const code = shape?.type === "structure" ? shape.error?.code : undefined;
    if (code !== undefined) byCode.set(code, className);
  }
  return new Map([...byCode].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
