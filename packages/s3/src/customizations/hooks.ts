/**
 * S3's customizations of the call pipeline, in one place: for each hook, the list of rules
 * it runs, in the order they run. Each rule is a named function in its own file in this
 * folder; add one by writing it there and listing it here.
 *
 *   beforeSign
 *     addExpectContinue    Expect: 100-continue on large PutObject / UploadPart bodies   expect-continue.ts
 */
import type { HttpRequest, ServiceHooks } from "@stratus/core";
import { addExpectContinue } from "./expect-continue.ts";

type BeforeSign = NonNullable<ServiceHooks["beforeSign"]>;

/** Before each attempt is signed, in this order; a rule may return a replacement request. */
const BEFORE_SIGN: readonly BeforeSign[] = [addExpectContinue];

export const hooks: ServiceHooks = {
  beforeSign: (request, context) => BEFORE_SIGN.reduce<HttpRequest>((current, rule) => rule(current, context) ?? current, request),
};
