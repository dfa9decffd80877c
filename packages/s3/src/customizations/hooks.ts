/**
 * S3's customizations of the call pipeline, in one place: for each hook, the list of rules
 * it runs, in the order they run. Each rule is a named function in its own file in this
 * folder; add one by writing it there and listing it here.
 *
 *   beforeSign
 *     addExpectContinue       Expect: 100-continue on large PutObject / UploadPart bodies   expect-continue.ts
 *   afterResponse
 *     failErrorIn200          a 200 whose body is an <Error> (or cut short) fails as a 500  error-in-200.ts
 *   afterParse
 *     readBucketLocation      GetBucketLocation's bare <LocationConstraint> root            bucket-location.ts
 *   redirect
 *     redirectToBucketRegion  wrong region: once more to x-amz-bucket-region's region       region-redirect.ts
 */
import type { HttpRequest, ServiceHooks } from "@stratus/core";
import { readBucketLocation } from "./bucket-location.ts";
import { failErrorIn200 } from "./error-in-200.ts";
import { addExpectContinue } from "./expect-continue.ts";
import { redirectToBucketRegion } from "./region-redirect.ts";

type BeforeSign = NonNullable<ServiceHooks["beforeSign"]>;
type AfterResponse = NonNullable<ServiceHooks["afterResponse"]>;
type AfterParse = NonNullable<ServiceHooks["afterParse"]>;
type Redirect = NonNullable<ServiceHooks["redirect"]>;

/** Before each attempt is signed, in this order; a rule may return a replacement request. */
const BEFORE_SIGN: readonly BeforeSign[] = [addExpectContinue];

/** Before a response is parsed; the first rule that returns a status decides it. */
const AFTER_RESPONSE: readonly AfterResponse[] = [failErrorIn200];

/** After an output is parsed, in this order; a rule adjusts the output in place. */
const AFTER_PARSE: readonly AfterParse[] = [readBucketLocation];

/** After a service error; the first rule that names a region redirects the call there. */
const REDIRECT: readonly Redirect[] = [redirectToBucketRegion];

export const hooks: ServiceHooks = {
  beforeSign: (request, context) => BEFORE_SIGN.reduce<HttpRequest>((current, rule) => rule(current, context) ?? current, request),
  afterResponse: (response, context) => {
    for (const rule of AFTER_RESPONSE) {
      const changed = rule(response, context);
      if (changed) return changed;
    }
  },
  afterParse: (output, context, response) => {
    for (const rule of AFTER_PARSE) rule(output, context, response);
  },
  redirect: (error, context) => {
    for (const rule of REDIRECT) {
      const target = rule(error, context);
      if (target) return target;
    }
  },
};
