/**
 * SQS's customizations of the call pipeline, in one place: for each hook, the list of rules
 * it runs, in the order they run. Each rule is a named function in this folder; add one by
 * writing it there and listing it here.
 *
 *   afterParse
 *     verifySendMessage        MD5 of the body and attributes sent            verify-md5.ts
 *     verifySendMessageBatch   the same, for each successful batch entry      verify-md5.ts
 *     verifyReceiveMessage     MD5 of each received body and its attributes   verify-md5.ts
 */
import type { ServiceHooks } from "@stratus/core";
import { verifyReceiveMessage, verifySendMessage, verifySendMessageBatch } from "./verify-md5.ts";

type AfterParse = NonNullable<ServiceHooks["afterParse"]>;

/** After an output is parsed, in this order; a rule throws to refuse it. */
const AFTER_PARSE: readonly AfterParse[] = [verifySendMessage, verifySendMessageBatch, verifyReceiveMessage];

export const hooks: ServiceHooks = {
  afterParse: (output, context, response) => {
    for (const rule of AFTER_PARSE) rule(output, context, response);
  },
};
