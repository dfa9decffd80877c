/**
 * `DocumentClient`: DynamoDB with plain JavaScript values, over a `DynamoDB` client you
 * made (and still own: destroy it, not this). What lib-dynamodb's DynamoDBDocument and
 * boto3's `Table` resource do:
 *
 *   const doc = new DocumentClient(new DynamoDB({ region }));
 *   await doc.put({ TableName, Item: { pk: "u#1", n: 3n, tags: new Set(["a"]) }, ConditionExpression: Attr("pk").notExists() });
 *   const { Items } = await doc.query({ TableName, KeyConditionExpression: Key("pk").eq("u#1").and(Key("sk").beginsWith("o#")) });
 *   for await (const item of doc.paginate.query({ TableName, … }).items()) …
 *
 * Every call does the same three things around the generated client's method:
 *   1. marshall keys, items and expression values (marshall.ts; a bad value fails before
 *      anything is sent, naming where it was);
 *   2. render builder expressions with `#n`/`:v` placeholders, merged with any the caller
 *      wrote (expressions.ts);
 *   3. unmarshall what comes back (Item, Items, Attributes, LastEvaluatedKey…), keeping
 *      `$metadata`.
 * The batch calls also split work into requests DynamoDB accepts and send unprocessed
 * items again (batch.ts). Errors are the generated client's (ConditionalCheckFailedException…).
 */
import type { CallOptions, Output, PaginateOptions } from "@stratus/core";
import { paginate } from "@stratus/core";
import type { DynamoDB } from "../generated/client.ts";
import * as P from "../generated/paginators.ts";
import type * as T from "../generated/types.ts";
import { batchGet, batchWrite, type BatchOptions } from "./batch.ts";
import type * as D from "./document-types.ts";
import { ConditionBase, ExpressionAttributes, renderCondition, renderProjection } from "./expressions.ts";
import { marshall, unmarshall, type DocumentItem, type MarshallOptions, type UnmarshallOptions } from "./marshall.ts";

export interface DocumentClientOptions {
  readonly marshall?: MarshallOptions | undefined;
  readonly unmarshall?: UnmarshallOptions | undefined;
}

/** Pages of a document query or scan, and their items. Each iteration starts from the first page. */
export interface DocumentPaginator<Page, Item> extends AsyncIterable<Page> {
  items(): AsyncIterable<Item>;
  /** After `maxItems` stopped an iteration: the token to pass as `startingToken` to go on. */
  readonly resumeToken: string | undefined;
}

export class DocumentClient {
  readonly client: DynamoDB;
  readonly #marshall: MarshallOptions;
  readonly #unmarshall: UnmarshallOptions;

  constructor(client: DynamoDB, options: DocumentClientOptions = {}) {
    this.client = client;
    this.#marshall = options.marshall ?? {};
    this.#unmarshall = options.unmarshall ?? {};
  }

  /** Query and scan as pages of plain items (LastEvaluatedKey handled for you). */
  readonly paginate = {
    query: <I extends object = DocumentItem>(input: D.DocumentQueryInput, options?: PaginateOptions): DocumentPaginator<Output<D.DocumentQueryOutput<I>>, I> =>
      this.#pages<T.QueryInput, Output<T.QueryOutput>, Output<D.DocumentQueryOutput<I>>, I>((i, o) => this.client.query(i, o), P.Query, this.#queryInput(input), options),
    scan: <I extends object = DocumentItem>(input: D.DocumentScanInput, options?: PaginateOptions): DocumentPaginator<Output<D.DocumentScanOutput<I>>, I> =>
      this.#pages<T.ScanInput, Output<T.ScanOutput>, Output<D.DocumentScanOutput<I>>, I>((i, o) => this.client.scan(i, o), P.Scan, this.#scanInput(input), options),
  };

  async get<I extends object = DocumentItem>(input: D.DocumentGetInput, options?: CallOptions): Promise<Output<D.DocumentGetOutput<I>>> {
    const { Key, ProjectionExpression, ExpressionAttributeNames, ...rest } = input;
    const x = new ExpressionAttributes(ExpressionAttributeNames, undefined, this.#marshall);
    const raw: T.GetItemInput = { ...rest, Key: this.#key(Key, "Key"), ...projection(ProjectionExpression, x), ...names(x) };
    const out = await this.client.getItem(raw, options);
    return this.#withItem<I, typeof out>(out);
  }

  async put<I extends object = DocumentItem>(input: D.DocumentPutInput, options?: CallOptions): Promise<Output<D.DocumentPutOutput<I>>> {
    const { Item, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = input;
    const x = new ExpressionAttributes(ExpressionAttributeNames, ExpressionAttributeValues, this.#marshall);
    const raw: T.PutItemInput = { ...rest, Item: marshall(Item, this.#marshall, "Item"), ...condition("ConditionExpression", ConditionExpression, x), ...namesAndValues(x) };
    return this.#writeOutput<I, Output<T.PutItemOutput>>(await this.client.putItem(raw, options));
  }

  async update<I extends object = DocumentItem>(input: D.DocumentUpdateInput, options?: CallOptions): Promise<Output<D.DocumentUpdateOutput<I>>> {
    const { Key, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = input;
    const x = new ExpressionAttributes(ExpressionAttributeNames, ExpressionAttributeValues, this.#marshall);
    const raw: T.UpdateItemInput = { ...rest, Key: this.#key(Key, "Key"), ...condition("ConditionExpression", ConditionExpression, x), ...namesAndValues(x) };
    return this.#writeOutput<I, Output<T.UpdateItemOutput>>(await this.client.updateItem(raw, options));
  }

  async delete<I extends object = DocumentItem>(input: D.DocumentDeleteInput, options?: CallOptions): Promise<Output<D.DocumentDeleteOutput<I>>> {
    const { Key, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = input;
    const x = new ExpressionAttributes(ExpressionAttributeNames, ExpressionAttributeValues, this.#marshall);
    const raw: T.DeleteItemInput = { ...rest, Key: this.#key(Key, "Key"), ...condition("ConditionExpression", ConditionExpression, x), ...namesAndValues(x) };
    return this.#writeOutput<I, Output<T.DeleteItemOutput>>(await this.client.deleteItem(raw, options));
  }

  /** One Query call. `paginate.query` follows LastEvaluatedKey for you. */
  async query<I extends object = DocumentItem>(input: D.DocumentQueryInput, options?: CallOptions): Promise<Output<D.DocumentQueryOutput<I>>> {
    return this.#readOutput<I, Output<T.QueryOutput>>(await this.client.query(this.#queryInput(input), options));
  }

  /** One Scan call. `paginate.scan` follows LastEvaluatedKey for you. */
  async scan<I extends object = DocumentItem>(input: D.DocumentScanInput, options?: CallOptions): Promise<Output<D.DocumentScanOutput<I>>> {
    return this.#readOutput<I, Output<T.ScanOutput>>(await this.client.scan(this.#scanInput(input), options));
  }

  /**
   * Gets any number of keys: 100 per request, unprocessed keys sent again with jittered
   * backoff; UnprocessedItemsError (naming the keys left) when `maxAttempts` runs out.
   */
  batchGet<I extends object = DocumentItem>(input: D.DocumentBatchGetInput, options?: BatchOptions): Promise<D.DocumentBatchGetOutput<I>> {
    return batchGet<I>(this.client, input, this.#marshall, this.#unmarshall, options);
  }

  /**
   * Writes any number of puts/deletes: 25 per request, unprocessed ones sent again with
   * jittered backoff; UnprocessedItemsError (naming what was left) when `maxAttempts` runs out.
   */
  batchWrite(input: D.DocumentBatchWriteInput, options?: BatchOptions): Promise<D.DocumentBatchWriteOutput> {
    return batchWrite(this.client, input, this.#marshall, this.#unmarshall, options);
  }

  async transactGet<I extends object = DocumentItem>(input: D.DocumentTransactGetInput, options?: CallOptions): Promise<Output<D.DocumentTransactGetOutput<I>>> {
    const TransactItems = input.TransactItems.map(({ Get }, i): T.TransactGetItem => {
      const { Key, ProjectionExpression, ExpressionAttributeNames, ...rest } = Get;
      const x = new ExpressionAttributes(ExpressionAttributeNames, undefined, this.#marshall);
      return { Get: { ...rest, Key: this.#key(Key, `TransactItems[${i}].Get.Key`), ...projection(ProjectionExpression, x), ...names(x) } };
    });
    const out = await this.client.transactGetItems({ ...input, TransactItems }, options);
    const { Responses, ...rest } = out;
    return {
      ...rest,
      ...(Responses ? { Responses: Responses.map((r) => (r.Item ? { Item: unmarshall(r.Item, this.#unmarshall) as I } : {})) } : {}),
    } as Output<D.DocumentTransactGetOutput<I>>;
  }

  async transactWrite(input: D.DocumentTransactWriteInput, options?: CallOptions): Promise<Output<D.DocumentTransactWriteOutput>> {
    const TransactItems = input.TransactItems.map((item, i) => this.#transactWriteItem(item, `TransactItems[${i}]`));
    const out = await this.client.transactWriteItems({ ...input, TransactItems }, options);
    const { ItemCollectionMetrics, ...rest } = out;
    return { ...rest, ...(ItemCollectionMetrics ? { ItemCollectionMetrics: this.#metricsByTable(ItemCollectionMetrics) } : {}) } as Output<D.DocumentTransactWriteOutput>;
  }

  // ── conversions ─────────────────────────────────────────────────────────────────────

  #key(key: object, where: string): Record<string, T.AttributeValueInput> {
    return marshall(key, this.#marshall, where);
  }

  #queryInput(input: D.DocumentQueryInput): T.QueryInput {
    const { KeyConditionExpression, FilterExpression, ProjectionExpression, ExclusiveStartKey, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = input;
    const x = new ExpressionAttributes(ExpressionAttributeNames, ExpressionAttributeValues, this.#marshall);
    return {
      ...rest,
      ...(ExclusiveStartKey ? { ExclusiveStartKey: this.#key(ExclusiveStartKey, "ExclusiveStartKey") } : {}),
      ...condition("KeyConditionExpression", KeyConditionExpression, x),
      ...condition("FilterExpression", FilterExpression, x),
      ...projection(ProjectionExpression, x),
      ...namesAndValues(x),
    };
  }

  #scanInput(input: D.DocumentScanInput): T.ScanInput {
    const { FilterExpression, ProjectionExpression, ExclusiveStartKey, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = input;
    const x = new ExpressionAttributes(ExpressionAttributeNames, ExpressionAttributeValues, this.#marshall);
    return {
      ...rest,
      ...(ExclusiveStartKey ? { ExclusiveStartKey: this.#key(ExclusiveStartKey, "ExclusiveStartKey") } : {}),
      ...condition("FilterExpression", FilterExpression, x),
      ...projection(ProjectionExpression, x),
      ...namesAndValues(x),
    };
  }

  #transactWriteItem(item: D.DocumentTransactWriteItemInput, where: string): T.TransactWriteItem {
    const expressions = (part: { ConditionExpression?: D.ConditionInput } & D.ExpressionValuesInput) => {
      const x = new ExpressionAttributes(part.ExpressionAttributeNames, part.ExpressionAttributeValues, this.#marshall);
      return { ...condition("ConditionExpression", part.ConditionExpression, x), ...namesAndValues(x) };
    };
    if ("Put" in item) {
      const { Item, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = item.Put;
      return { Put: { ...rest, Item: marshall(Item, this.#marshall, `${where}.Put.Item`), ...expressions({ ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues }) } };
    }
    if ("Update" in item) {
      const { Key, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = item.Update;
      return { Update: { ...rest, Key: this.#key(Key, `${where}.Update.Key`), ...expressions({ ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues }) } };
    }
    if ("Delete" in item) {
      const { Key, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = item.Delete;
      return { Delete: { ...rest, Key: this.#key(Key, `${where}.Delete.Key`), ...expressions({ ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues }) } };
    }
    const { Key, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = item.ConditionCheck;
    const rendered = expressions({ ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues });
    return { ConditionCheck: { ...rest, Key: this.#key(Key, `${where}.ConditionCheck.Key`), ConditionExpression: rendered.ConditionExpression ?? "", ...rendered } };
  }

  #withItem<I, O extends { Item?: Record<string, T.AttributeValue> }>(out: O): Output<D.DocumentGetOutput<I>> {
    const { Item, ...rest } = out;
    return { ...rest, ...(Item ? { Item: unmarshall(Item, this.#unmarshall) as I } : {}) } as unknown as Output<D.DocumentGetOutput<I>>;
  }

  #writeOutput<I, O extends { Attributes?: Record<string, T.AttributeValue>; ItemCollectionMetrics?: T.ItemCollectionMetrics }>(out: O): Output<D.DocumentPutOutput<I>> {
    const { Attributes, ItemCollectionMetrics, ...rest } = out;
    return {
      ...rest,
      ...(Attributes ? { Attributes: unmarshall(Attributes, this.#unmarshall) as I } : {}),
      ...(ItemCollectionMetrics ? { ItemCollectionMetrics: this.#metrics(ItemCollectionMetrics) } : {}),
    } as unknown as Output<D.DocumentPutOutput<I>>;
  }

  #readOutput<I, O extends { Items?: Record<string, T.AttributeValue>[]; LastEvaluatedKey?: Record<string, T.AttributeValue> }>(out: O): Output<D.DocumentQueryOutput<I>> {
    const { Items, LastEvaluatedKey, ...rest } = out;
    return {
      ...rest,
      ...(Items ? { Items: Items.map((item) => unmarshall(item, this.#unmarshall) as I) } : {}),
      ...(LastEvaluatedKey ? { LastEvaluatedKey: unmarshall(LastEvaluatedKey, this.#unmarshall) } : {}),
    } as unknown as Output<D.DocumentQueryOutput<I>>;
  }

  #metrics(metrics: T.ItemCollectionMetrics): D.DocumentItemCollectionMetrics {
    const { ItemCollectionKey, ...rest } = metrics;
    return { ...rest, ...(ItemCollectionKey ? { ItemCollectionKey: unmarshall(ItemCollectionKey, this.#unmarshall) } : {}) };
  }

  #metricsByTable(byTable: Record<string, T.ItemCollectionMetrics[]>): Record<string, D.DocumentItemCollectionMetrics[]> {
    return Object.fromEntries(Object.entries(byTable).map(([table, list]) => [table, list.map((m) => this.#metrics(m))]));
  }

  /**
   * The core paginator over the raw calls (so tokens stay exact AttributeValues and resume
   * tokens work as for any paginator), with each page and item converted on the way out.
   */
  #pages<RI extends object, RO extends { Items?: Record<string, T.AttributeValue>[]; LastEvaluatedKey?: Record<string, T.AttributeValue> }, DO, I>(
    send: (input: RI, options: CallOptions) => Promise<RO>,
    config: typeof P.Query,
    input: RI,
    options: PaginateOptions | undefined,
  ): DocumentPaginator<DO, I> {
    const raw = paginate<RI, RO, Record<string, T.AttributeValue>>(send, config, input, options);
    const toPage = (page: RO): DO => this.#readOutput<I, RO>(page) as unknown as DO;
    const toItem = (item: Record<string, T.AttributeValue>): I => unmarshall(item, this.#unmarshall) as I;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const page of raw) yield toPage(page);
      },
      async *items() {
        for await (const item of raw.items()) yield toItem(item);
      },
      get resumeToken() {
        return raw.resumeToken;
      },
    };
  }
}

// ── expression members of a request ─────────────────────────────────────────────────────

type ExpressionMember = "ConditionExpression" | "FilterExpression" | "KeyConditionExpression";

/** `{ [member]: text }` for a given expression (a builder is rendered into `x`), else `{}`. */
function condition<M extends ExpressionMember>(member: M, value: string | ConditionBase | undefined, x: ExpressionAttributes): Partial<Record<M, string>> {
  if (value === undefined) return {};
  const text = value instanceof ConditionBase ? renderCondition(value, x) : value;
  return { [member]: text } as Partial<Record<M, string>>;
}

function projection(value: D.ProjectionInput | undefined, x: ExpressionAttributes): { ProjectionExpression?: string } {
  if (value === undefined) return {};
  return { ProjectionExpression: typeof value === "string" ? value : renderProjection(value, x) };
}

function names(x: ExpressionAttributes): { ExpressionAttributeNames?: Record<string, string> } {
  const found = x.namesOrUndefined();
  return found ? { ExpressionAttributeNames: found } : {};
}

function namesAndValues(x: ExpressionAttributes): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, T.AttributeValueInput> } {
  const values = x.valuesOrUndefined();
  return { ...names(x), ...(values ? { ExpressionAttributeValues: values } : {}) };
}
