/**
 * GetBucketLocation's answer is a bare root element, not the output structure the model
 * describes, so the parser finds no LocationConstraint member in it:
 *
 *   <LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>
 *   <LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>      (us-east-1)
 *
 * This rule reads the root's text into the output, as botocore's
 * `parse_get_bucket_location` does. An empty element (a bucket in us-east-1) leaves
 * LocationConstraint absent, the API's null. Legacy values ("EU" for eu-west-1) are
 * returned as S3 sends them.
 */
import type { HookContext, HookResponse } from "@stratus/core";
import { xmlRoot } from "./xml-root.ts";

/** afterParse: LocationConstraint from GetBucketLocation's root element. */
export function readBucketLocation(output: Record<string, unknown>, context: HookContext, response: HookResponse): void {
  if (context.operation.name !== "GetBucketLocation") return;
  const root = xmlRoot(response.body);
  if (root?.name !== "LocationConstraint" || !root.complete) return;
  const location = root.content.trim();
  if (location === "") delete output["LocationConstraint"];
  // Region names carry no markup or entities; anything else is left to the parser.
  else if (/^[A-Za-z0-9-]+$/.test(location)) output["LocationConstraint"] = location;
}
