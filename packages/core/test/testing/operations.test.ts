// How a Stubber finds a client's operations: by calling each method once on a probe whose
// `send` records the schema. Methods that are no operation (helpers) are skipped, and
// their work stops at the probe; nothing of the client is resolved.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { CallOptions } from "../../src/client/call-scope.ts";
import { ServiceClient } from "../../src/client/service-client.ts";
import { closeNames, findOperation, operationsOf } from "../../src/testing/operations.ts";
import { UnknownOperationError } from "../../src/testing/errors.ts";
import { loadService, op } from "../client/service-fixtures.ts";

const dynamodb = loadService("dynamodb", "2012-08-10");

class Dynamo extends ServiceClient {
  constructor() {
    super(dynamodb.definition, { env: {} });
  }
  /** A helper declared before the operation it calls: not taken for it. */
  firstTable(): Promise<unknown> {
    return this.listTables({ Limit: 1 });
  }
  getItem(input: object, options?: CallOptions) {
    return this.send(op(dynamodb, "GetItem"), input, options);
  }
  listTables(input: object = {}, options?: CallOptions) {
    return this.send(op(dynamodb, "ListTables"), input, options);
  }
  tableNames(): Promise<unknown> {
    return this.listTables({});
  }
  /** An async helper: its probe run rejects, unobserved. */
  async countTables(): Promise<number> {
    const out = (await this.listTables({})) as { TableNames?: string[] };
    return out.TableNames?.length ?? 0;
  }
  get region(): string {
    throw new Error("getters are never called by the probe");
  }
}

test("operations are found by name and by method, helpers are not operations", () => {
  const table = operationsOf(new Dynamo());
  assert.deepEqual(table.all.map((operation) => `${operation.name}=${operation.method}`), ["GetItem=getItem", "ListTables=listTables"]);
  assert.equal(findOperation(table, "DynamoDB", "GetItem"), findOperation(table, "DynamoDB", "getItem"));
  assert.equal(findOperation(table, "DynamoDB", "ListTables").schema, op(dynamodb, "ListTables"));
  assert.equal(operationsOf(new Dynamo()), table, "cached per client class");
});

test("an unknown name lists close ones", () => {
  const table = operationsOf(new Dynamo());
  assert.throws(() => findOperation(table, "DynamoDB", "ListTable"), (error: unknown) => {
    assert.ok(error instanceof UnknownOperationError);
    assert.equal(error.message, 'DynamoDB has no operation "ListTable" (did you mean ListTables?)');
    return true;
  });
  assert.throws(() => findOperation(table, "DynamoDB", "Frobnicate"), { message: 'DynamoDB has no operation "Frobnicate"' });
});

test("close names: case, containment, then a few edits", () => {
  const names = ["GetItem", "BatchGetItem", "TransactGetItems", "PutItem", "DeleteItem", "ListTables", "ListTagsOfResource"];
  assert.deepEqual(closeNames("getitem", names), ["GetItem", "BatchGetItem", "TransactGetItems"]);
  assert.deepEqual(closeNames("PutItme", names), ["PutItem"]);
  assert.deepEqual(closeNames("ListTabels", names), ["ListTables"]);
  assert.deepEqual(closeNames("Zzz", names), []);
});
