/**
 * The document layer's inputs and outputs: the generated DynamoDB shapes with every
 * `AttributeValue` replaced by plain JavaScript values (marshall.ts), every expression
 * member also accepting a builder (expressions.ts), and the legacy pre-expression members
 * (`Expected`, `KeyConditions`, `QueryFilter`, `ScanFilter`, `AttributeUpdates`,
 * `AttributesToGet`, `ConditionalOperator`) left out: expressions do all they did.
 *
 * Items come back as `DocumentItem` unless the call names its own type
 * (`doc.get<User>(…)`): that is a declaration about the table, not checked at run time.
 */
import type * as T from "../generated/types.ts";
import type { ConditionBase, KeyCondition } from "./expressions.ts";
import type { DocumentItem } from "./marshall.ts";

/** A ConditionExpression/FilterExpression: text with your own placeholders, or a builder. */
export type ConditionInput = string | ConditionBase;
/** A ProjectionExpression: text, or attribute paths (each becomes `#n` placeholders). */
export type ProjectionInput = string | readonly (string | readonly string[])[];

/** Names and values for hand-written expressions; values are plain JavaScript values. */
export interface ExpressionValuesInput {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

type Legacy = "Expected" | "ConditionalOperator" | "AttributesToGet" | "KeyConditions" | "QueryFilter" | "ScanFilter" | "AttributeUpdates";
type Replaced = "Key" | "Item" | "ExclusiveStartKey" | "ConditionExpression" | "FilterExpression" | "KeyConditionExpression" | "ProjectionExpression" | "ExpressionAttributeNames" | "ExpressionAttributeValues";
type Base<I> = Omit<I, Legacy | Replaced>;

/** ItemCollectionMetrics with its key as plain values. */
export interface DocumentItemCollectionMetrics {
  ItemCollectionKey?: DocumentItem;
  SizeEstimateRangeGB?: number[];
}

export type DocumentGetInput = Base<T.GetItemInput> & { Key: object; ProjectionExpression?: ProjectionInput; ExpressionAttributeNames?: Record<string, string> };
export type DocumentGetOutput<I> = Omit<T.GetItemOutput, "Item"> & { Item?: I };

export type DocumentPutInput = Base<T.PutItemInput> & { Item: object; ConditionExpression?: ConditionInput } & ExpressionValuesInput;
export type DocumentPutOutput<I> = Omit<T.PutItemOutput, "Attributes" | "ItemCollectionMetrics"> & { Attributes?: I; ItemCollectionMetrics?: DocumentItemCollectionMetrics };

export type DocumentUpdateInput = Base<T.UpdateItemInput> & { Key: object; ConditionExpression?: ConditionInput } & ExpressionValuesInput;
export type DocumentUpdateOutput<I> = Omit<T.UpdateItemOutput, "Attributes" | "ItemCollectionMetrics"> & { Attributes?: I; ItemCollectionMetrics?: DocumentItemCollectionMetrics };

export type DocumentDeleteInput = Base<T.DeleteItemInput> & { Key: object; ConditionExpression?: ConditionInput } & ExpressionValuesInput;
export type DocumentDeleteOutput<I> = Omit<T.DeleteItemOutput, "Attributes" | "ItemCollectionMetrics"> & { Attributes?: I; ItemCollectionMetrics?: DocumentItemCollectionMetrics };

export type DocumentQueryInput = Base<T.QueryInput> & {
  KeyConditionExpression?: string | KeyCondition;
  FilterExpression?: ConditionInput;
  ProjectionExpression?: ProjectionInput;
  ExclusiveStartKey?: object;
} & ExpressionValuesInput;
export type DocumentQueryOutput<I> = Omit<T.QueryOutput, "Items" | "LastEvaluatedKey"> & { Items?: I[]; LastEvaluatedKey?: DocumentItem };

export type DocumentScanInput = Base<T.ScanInput> & { FilterExpression?: ConditionInput; ProjectionExpression?: ProjectionInput; ExclusiveStartKey?: object } & ExpressionValuesInput;
export type DocumentScanOutput<I> = Omit<T.ScanOutput, "Items" | "LastEvaluatedKey"> & { Items?: I[]; LastEvaluatedKey?: DocumentItem };

/** One table's part of a batch get. */
export interface DocumentBatchGetTableInput {
  Keys: object[];
  ConsistentRead?: boolean;
  ProjectionExpression?: ProjectionInput;
  ExpressionAttributeNames?: Record<string, string>;
}
export interface DocumentBatchGetInput {
  RequestItems: Record<string, DocumentBatchGetTableInput>;
  ReturnConsumedCapacity?: T.ReturnConsumedCapacity;
}
export interface DocumentBatchGetOutput<I> {
  /** Every item found, by table, across every request the helper made. */
  Responses: Record<string, I[]>;
  ConsumedCapacity?: T.ConsumedCapacity[];
  /** Requests sent (keys are sent 100 at a time, unprocessed ones again). */
  requests: number;
}

export type DocumentWriteRequestInput = { PutRequest: { Item: object }; DeleteRequest?: never } | { DeleteRequest: { Key: object }; PutRequest?: never };
export interface DocumentBatchWriteInput {
  RequestItems: Record<string, DocumentWriteRequestInput[]>;
  ReturnConsumedCapacity?: T.ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: T.ReturnItemCollectionMetrics;
}
export interface DocumentBatchWriteOutput {
  ConsumedCapacity?: T.ConsumedCapacity[];
  ItemCollectionMetrics?: Record<string, DocumentItemCollectionMetrics[]>;
  /** Requests sent (writes are sent 25 at a time, unprocessed ones again). */
  requests: number;
}

export interface DocumentTransactGetInput {
  TransactItems: Array<{ Get: { TableName: string; Key: object; ProjectionExpression?: ProjectionInput; ExpressionAttributeNames?: Record<string, string> } }>;
  ReturnConsumedCapacity?: T.ReturnConsumedCapacity;
}
export type DocumentTransactGetOutput<I> = Omit<T.TransactGetItemsOutput, "Responses"> & { Responses?: Array<{ Item?: I }> };

type Conditional = { ConditionExpression?: ConditionInput; ReturnValuesOnConditionCheckFailure?: T.ReturnValuesOnConditionCheckFailure } & ExpressionValuesInput;
export type DocumentTransactWriteItemInput =
  | { Put: { TableName: string; Item: object } & Conditional }
  | { Update: { TableName: string; Key: object; UpdateExpression: string } & Conditional }
  | { Delete: { TableName: string; Key: object } & Conditional }
  | { ConditionCheck: { TableName: string; Key: object; ConditionExpression: ConditionInput } & Omit<Conditional, "ConditionExpression"> };
export interface DocumentTransactWriteInput {
  TransactItems: DocumentTransactWriteItemInput[];
  ReturnConsumedCapacity?: T.ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: T.ReturnItemCollectionMetrics;
  ClientRequestToken?: string;
}
export type DocumentTransactWriteOutput = Omit<T.TransactWriteItemsOutput, "ItemCollectionMetrics"> & {
  ItemCollectionMetrics?: Record<string, DocumentItemCollectionMetrics[]>;
};
