/**
 * The hand-written part of @stratus/dynamodb (re-exported from the package entry point):
 * the document layer.
 *
 *   document-client.ts  DocumentClient: get/put/update/delete/query/scan, batchGet/batchWrite,
 *                       transactGet/transactWrite, paginate.query/scan, with plain values
 *   marshall.ts         marshall/unmarshall: JavaScript values ⇄ AttributeValues
 *   number-value.ts     NumberValue: a DynamoDB number kept as its exact decimal text
 *   expressions.ts      Key(…)/Attr(…) condition builders, rendered with #n/:v placeholders
 *   batch.ts            the batch helpers: request splitting, resending unprocessed items
 *   document-types.ts   the document layer's input and output types
 */
export { DocumentClient, type DocumentClientOptions, type DocumentPaginator } from "./document-client.ts";
export type * from "./document-types.ts";
export { MAX_BATCH_GET, MAX_BATCH_WRITE, UnprocessedItemsError, type BatchOptions } from "./batch.ts";
export {
  Attr,
  and,
  ConditionBase,
  ConditionAttribute,
  ExpressionAttributes,
  Key,
  KeyAttribute,
  KeyCondition,
  not,
  or,
  renderCondition,
  renderProjection,
  SizeOf,
  type AttributeTypeName,
  type Comparand,
} from "./expressions.ts";
export {
  convertToAttr,
  convertToNative,
  MarshallError,
  marshall,
  unmarshall,
  type DocumentItem,
  type MarshallOptions,
  type NativeAttributeValue,
  type NativeScalar,
  type NativeSet,
  type NumberMode,
  type UnmarshallOptions,
} from "./marshall.ts";
export { exactNumber, NumberValue } from "./number-value.ts";
