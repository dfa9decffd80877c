/**
 * Input validation: the operation's input shape against what the caller passed, before any
 * byte is serialized or sent. One function (validate.ts) returns every problem; the
 * pipeline throws them together as a `ValidationError` (errors/index.ts).
 */
export { validateInput } from "./validate.ts";
