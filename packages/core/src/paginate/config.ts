/**
 * One entry of botocore's paginators-1.json (`pagination.<Operation>`), with botocore's key
 * names so the generator can emit the model's objects verbatim (`as const` objects too:
 * every list is readonly). `normalizePaginatorConfig` turns it into the compiled form the
 * paginator runs on, checking what botocore would only find out mid-iteration.
 *
 *   input_token         request member(s) that carry the token; a list is zipped with
 *                       output_token (S3 ListObjectVersions: KeyMarker + VersionIdMarker)
 *   output_token        JMESPath over the response giving each token
 *                       (`NextMarker || Contents[-1].Key`, `StreamDescription.Shards[-1].ShardId`)
 *   limit_key           request member for the page size
 *   result_key          JMESPath for the paged list(s); the first is the primary one, which
 *                       `maxItems` counts and `items()` yields
 *   more_results        JMESPath for "there is another page" (`IsTruncated`): when it is
 *                       false the paginator stops even if a token is present
 *   non_aggregate_keys  JMESPath for members that are the same on every page (DynamoDB's
 *                       ConsumedCapacity, IAM GetGroup's Group), kept from the first page
 */
import { compileExpression, type Expression } from "./jmespath.ts";
import { PaginationError } from "./errors.ts";

export interface PaginatorConfig {
  readonly input_token: string | readonly string[];
  readonly output_token: string | readonly string[];
  readonly limit_key?: string | undefined;
  readonly result_key?: string | readonly string[] | undefined;
  readonly more_results?: string | undefined;
  readonly non_aggregate_keys?: readonly string[] | undefined;
}

export interface CompiledPaginatorConfig {
  readonly inputTokens: readonly string[];
  /** Same length and order as inputTokens. */
  readonly outputTokens: readonly Expression[];
  readonly limitKey: string | undefined;
  /** Empty when the model names no result key. */
  readonly resultKeys: readonly Expression[];
  readonly moreResults: Expression | undefined;
  readonly nonAggregateKeys: readonly Expression[];
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}

export function normalizePaginatorConfig(config: PaginatorConfig): CompiledPaginatorConfig {
  const inputTokens = list(config.input_token);
  const outputSources = list(config.output_token);
  if (inputTokens.length === 0 || outputSources.length === 0) {
    throw new PaginationError("a paginator config needs input_token and output_token");
  }
  if (inputTokens.length !== outputSources.length) {
    throw new PaginationError(
      `input_token (${inputTokens.join(", ")}) and output_token (${outputSources.join(", ")}) must pair up one to one`,
    );
  }
  return {
    inputTokens,
    outputTokens: outputSources.map(compileExpression),
    limitKey: config.limit_key,
    resultKeys: list(config.result_key).map(compileExpression),
    moreResults: config.more_results === undefined ? undefined : compileExpression(config.more_results),
    nonAggregateKeys: list(config.non_aggregate_keys).map(compileExpression),
  };
}
