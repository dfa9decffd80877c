// Page traversal on real paginators-1.json entries: the exact requests sent, when the
// paginator stops (absent token, more_results false), string, list and map tokens, the
// repeated-token guard, page size, input immutability, abort and early exit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { JmesPathError, PaginationError, paginate, type PaginatorConfig } from "../../src/paginate/index.ts";
import { collect, fakeListObjectsV2, fakeQuery, keyNames, scripted } from "./fakes.ts";
import { paginatorConfig } from "./models.ts";

const listObjectsV2 = paginatorConfig("s3", "ListObjectsV2");

test("s3 ListObjectsV2: each page's NextContinuationToken goes into the next request, and the last page ends it", async () => {
  const fake = fakeListObjectsV2(keyNames(10));
  const pages = await collect(paginate(fake.send, listObjectsV2, { Bucket: "b" }));
  assert.deepEqual(fake.calls, [
    { Bucket: "b" },
    { Bucket: "b", ContinuationToken: "ct-4" },
    { Bucket: "b", ContinuationToken: "ct-8" },
  ]);
  assert.deepEqual(pages.map((p) => p.Contents?.map((c) => c.Key)), [
    ["k00", "k01", "k02", "k03"],
    ["k04", "k05", "k06", "k07"],
    ["k08", "k09"],
  ]);
  // Pages are the service's objects themselves when nothing had to be cut.
  assert.deepEqual(pages, fake.returned);
  assert.equal(pages[0], fake.returned[0]);
});

test("more_results false stops even when the page still carries a token (s3 IsTruncated)", async () => {
  const fake = scripted([
    { Contents: [{ Key: "a" }], IsTruncated: true, NextContinuationToken: "t1" },
    { Contents: [{ Key: "b" }], IsTruncated: false, NextContinuationToken: "stale" },
  ]);
  const pages = await collect(paginate(fake.send, listObjectsV2, { Bucket: "b" }));
  assert.equal(pages.length, 2);
  assert.deepEqual(fake.calls, [{ Bucket: "b" }, { Bucket: "b", ContinuationToken: "t1" }]);
});

test("iam ListUsers: more_results IsTruncated with Marker as both input and output token", async () => {
  const config = paginatorConfig("iam", "ListUsers");
  assert.equal(config.more_results, "IsTruncated");
  const fake = scripted([
    { Users: [{ UserName: "ann" }], IsTruncated: true, Marker: "m1" },
    { Users: [{ UserName: "bob" }], IsTruncated: true, Marker: "m2" },
    { Users: [{ UserName: "cy" }], IsTruncated: false, Marker: "m3" },
  ]);
  const users = await collect(paginate(fake.send, config, { PathPrefix: "/" }).items());
  assert.deepEqual(users, [{ UserName: "ann" }, { UserName: "bob" }, { UserName: "cy" }]);
  assert.deepEqual(fake.calls, [{ PathPrefix: "/" }, { PathPrefix: "/", Marker: "m1" }, { PathPrefix: "/", Marker: "m2" }]);
});

test("a page with more_results true but no token ends the run (nothing to send)", async () => {
  const fake = scripted([{ Users: [], IsTruncated: true }]);
  await collect(paginate(fake.send, paginatorConfig("iam", "ListUsers"), {}));
  assert.equal(fake.calls.length, 1);
});

test("s3 ListObjects: `NextMarker || Contents[-1].Key` uses NextMarker, else the last key", async () => {
  const config = paginatorConfig("s3", "ListObjects");
  assert.equal(config.output_token, "NextMarker || Contents[-1].Key");
  const fake = scripted([
    { Contents: [{ Key: "a" }, { Key: "b" }], IsTruncated: true }, // no delimiter: no NextMarker
    { Contents: [{ Key: "c" }], CommonPrefixes: [{ Prefix: "d/" }], NextMarker: "d/", IsTruncated: true },
    { Contents: [{ Key: "e" }], IsTruncated: false },
  ]);
  await collect(paginate(fake.send, config, { Bucket: "b", Delimiter: "/" }));
  assert.deepEqual(fake.calls, [
    { Bucket: "b", Delimiter: "/" },
    { Bucket: "b", Delimiter: "/", Marker: "b" },
    { Bucket: "b", Delimiter: "/", Marker: "d/" },
  ]);
});

test("s3 ListObjectVersions: two input tokens zipped with two output tokens; an absent one is removed", async () => {
  const config = paginatorConfig("s3", "ListObjectVersions");
  assert.deepEqual(config.input_token, ["KeyMarker", "VersionIdMarker"]);
  const fake = scripted([
    { Versions: [{ Key: "a", VersionId: "1" }], IsTruncated: true, NextKeyMarker: "a", NextVersionIdMarker: "1" },
    { Versions: [{ Key: "b", VersionId: "2" }], IsTruncated: true, NextKeyMarker: "b" },
    { Versions: [{ Key: "c", VersionId: "3" }], IsTruncated: false },
  ]);
  const versions = await collect(paginate(fake.send, config, { Bucket: "b" }).items());
  assert.deepEqual(versions.length, 3);
  assert.deepEqual(fake.calls, [
    { Bucket: "b" },
    { Bucket: "b", KeyMarker: "a", VersionIdMarker: "1" },
    { Bucket: "b", KeyMarker: "b" },
  ]);
});

test("dynamodb Query: LastEvaluatedKey (a map) is sent back as ExclusiveStartKey until it is absent", async () => {
  const config = paginatorConfig("dynamodb", "Query");
  const fake = fakeQuery(10);
  const items = await collect(paginate(fake.send, config, { TableName: "t" }).items());
  assert.deepEqual(items.map((item) => (item as { data: { S: string } }).data.S), Array.from({ length: 10 }, (_, i) => `item-${i}`));
  assert.deepEqual(fake.calls, [
    { TableName: "t" },
    { TableName: "t", ExclusiveStartKey: { pk: { S: "user" }, sk: { N: "3" } } },
    { TableName: "t", ExclusiveStartKey: { pk: { S: "user" }, sk: { N: "7" } } },
  ]);
});

test("an empty map, empty string or null token counts as absent", async () => {
  const config = paginatorConfig("dynamodb", "Query");
  for (const empty of [{}, "", null]) {
    const fake = scripted([{ Items: [], Count: 0, LastEvaluatedKey: empty }]);
    await collect(paginate(fake.send, config, { TableName: "t" }));
    assert.equal(fake.calls.length, 1, JSON.stringify(empty));
  }
});

test("the same token twice is a PaginationError, not an endless loop", async () => {
  const fake = scripted([
    { Topics: [{ TopicArn: "a" }], NextToken: "t1" },
    { Topics: [{ TopicArn: "b" }], NextToken: "t1" },
    { Topics: [{ TopicArn: "never" }] },
  ]);
  const seen: unknown[] = [];
  await assert.rejects(
    async () => {
      for await (const page of paginate(fake.send, paginatorConfig("sns", "ListTopics"), {})) seen.push(page);
    },
    (error: unknown) => error instanceof PaginationError && /same token twice/.test(error.message) && /NextToken="t1"/.test(error.message),
  );
  assert.deepEqual(fake.calls, [{}, { NextToken: "t1" }]);
  assert.equal(seen.length, 2, "both pages were still delivered");
});

test("a repeated map token is caught by structure, not identity (DynamoDB)", async () => {
  const key = () => ({ pk: { S: "u" }, sk: { N: "1" } });
  const fake = scripted([
    { Items: [{}], LastEvaluatedKey: key() },
    { Items: [{}], LastEvaluatedKey: key() },
  ]);
  await assert.rejects(collect(paginate(fake.send, paginatorConfig("dynamodb", "Query"), { TableName: "t" })), PaginationError);
  assert.equal(fake.calls.length, 2);
});

test("the guard also covers the first page: a token equal to the caller's own is refused", async () => {
  const fake = scripted([{ Topics: [], NextToken: "mine" }]);
  await assert.rejects(collect(paginate(fake.send, paginatorConfig("sns", "ListTopics"), { NextToken: "mine" })), PaginationError);
  assert.deepEqual(fake.calls, [{ NextToken: "mine" }]);
});

test("tokens that alternate are not a repeat (A, B, A is allowed to go on)", async () => {
  const fake = scripted([
    { Topics: [], NextToken: "A" },
    { Topics: [], NextToken: "B" },
    { Topics: [], NextToken: "A" },
    { Topics: [] },
  ]);
  await collect(paginate(fake.send, paginatorConfig("sns", "ListTopics"), {}));
  assert.deepEqual(fake.calls, [{}, { NextToken: "A" }, { NextToken: "B" }, { NextToken: "A" }]);
});

test("pageSize is sent under limit_key in every request; the caller's input is never changed", async () => {
  const fake = fakeListObjectsV2(keyNames(5));
  const input = Object.freeze({ Bucket: "b", MaxKeys: 1000 });
  await collect(paginate(fake.send, listObjectsV2, input, { pageSize: 2 }));
  assert.deepEqual(fake.calls, [
    { Bucket: "b", MaxKeys: 2 },
    { Bucket: "b", MaxKeys: 2, ContinuationToken: "ct-2" },
    { Bucket: "b", MaxKeys: 2, ContinuationToken: "ct-4" },
  ]);
  assert.deepEqual(input, { Bucket: "b", MaxKeys: 1000 });
});

test("the caller's own token is used for the first request and replaced afterwards", async () => {
  const fake = fakeListObjectsV2(keyNames(12));
  const input = { Bucket: "b", ContinuationToken: "ct-2" };
  await collect(paginate(fake.send, listObjectsV2, input));
  assert.deepEqual(fake.calls, [
    { Bucket: "b", ContinuationToken: "ct-2" },
    { Bucket: "b", ContinuationToken: "ct-6" },
    { Bucket: "b", ContinuationToken: "ct-10" },
  ]);
  assert.deepEqual(input, { Bucket: "b", ContinuationToken: "ct-2" });
});

test("each request is a fresh object: a send that mutates its input changes nothing", async () => {
  const objects: object[] = [];
  const keysSeen: string[][] = [];
  let n = 0;
  const send = async (input: Record<string, unknown>) => {
    objects.push(input);
    keysSeen.push(Object.keys(input).sort());
    input.Sneaky = true;
    n++;
    return n < 3 ? { Topics: [], NextToken: `t${n}` } : { Topics: [] };
  };
  const input = { Name: "x" };
  await collect(paginate(send, paginatorConfig("sns", "ListTopics"), input));
  assert.equal(new Set(objects).size, 3);
  assert.deepEqual(keysSeen, [["Name"], ["Name", "NextToken"], ["Name", "NextToken"]]);
  assert.deepEqual(input, { Name: "x" });
});

test("pageSize for an operation without limit_key, or a non-positive one, fails before any request", () => {
  const send = async () => ({});
  assert.equal(paginatorConfig("sns", "ListTopics").limit_key, undefined);
  assert.throws(() => paginate(send, paginatorConfig("sns", "ListTopics"), {}, { pageSize: 10 }), PaginationError);
  assert.throws(() => paginate(send, listObjectsV2, {}, { pageSize: 0 }), RangeError);
  assert.throws(() => paginate(send, listObjectsV2, {}, { maxItems: 1.5 }), RangeError);
});

test("a config whose expressions do not parse, or whose tokens do not pair up, fails at once", () => {
  const send = async () => ({});
  assert.throws(() => paginate(send, { input_token: "A", output_token: "B[" }, {}), JmesPathError);
  assert.throws(
    () => paginate(send, { input_token: ["A", "B"], output_token: "C" }, {}),
    (error: unknown) => error instanceof PaginationError && /pair up/.test(error.message),
  );
});

test("nothing is sent until the paginator is iterated, and every iteration starts over", async () => {
  const fake = fakeListObjectsV2(keyNames(6));
  const paginator = paginate(fake.send, listObjectsV2, { Bucket: "b" });
  assert.equal(fake.calls.length, 0);
  await collect(paginator);
  await collect(paginator);
  assert.deepEqual(fake.calls.map((c) => c.ContinuationToken ?? null), [null, "ct-4", null, "ct-4"]);
});

test("breaking out of the loop sends no further request", async () => {
  const fake = fakeListObjectsV2(keyNames(20));
  for await (const page of paginate(fake.send, listObjectsV2, { Bucket: "b" })) {
    assert.equal(page.KeyCount, 4);
    break;
  }
  assert.equal(fake.calls.length, 1);
});

test("abort between pages: the next step rejects with the signal's reason and sends nothing", async () => {
  const fake = fakeListObjectsV2(keyNames(20));
  const controller = new AbortController();
  const reason = new Error("user cancelled");
  const paginator = paginate(fake.send, listObjectsV2, { Bucket: "b" }, { signal: controller.signal });
  const seen: unknown[] = [];
  await assert.rejects(async () => {
    for await (const page of paginator) {
      seen.push(page);
      controller.abort(reason);
    }
  }, (error: unknown) => error === reason);
  assert.equal(seen.length, 1);
  assert.equal(fake.calls.length, 1);
  assert.equal(fake.signals[0], controller.signal, "the signal reaches send too");
});

test("an already-aborted signal sends nothing", async () => {
  const fake = fakeListObjectsV2(keyNames(3));
  const signal = AbortSignal.abort(new Error("gone"));
  await assert.rejects(collect(paginate(fake.send, listObjectsV2, { Bucket: "b" }, { signal })), /gone/);
  assert.equal(fake.calls.length, 0);
});

test("an error from send propagates as it was thrown", async () => {
  const boom = new Error("AccessDenied");
  let calls = 0;
  const send = async () => {
    calls++;
    if (calls === 2) throw boom;
    return { Topics: [], NextToken: "t" };
  };
  await assert.rejects(collect(paginate(send, paginatorConfig("sns", "ListTopics"), {})), (e: unknown) => e === boom);
  assert.equal(calls, 2);
});

test("kinesis DescribeStream: nested output token and more_results", async () => {
  const config = paginatorConfig("kinesis", "DescribeStream");
  assert.equal(config.output_token, "StreamDescription.Shards[-1].ShardId");
  const fake = scripted([
    { StreamDescription: { StreamName: "s", Shards: [{ ShardId: "s1" }, { ShardId: "s2" }], HasMoreShards: true } },
    { StreamDescription: { StreamName: "s", Shards: [{ ShardId: "s3" }], HasMoreShards: false } },
  ]);
  const shards = await collect(paginate(fake.send, config, { StreamName: "s" }).items());
  assert.deepEqual(shards, [{ ShardId: "s1" }, { ShardId: "s2" }, { ShardId: "s3" }]);
  assert.deepEqual(fake.calls, [{ StreamName: "s" }, { StreamName: "s", ExclusiveStartShardId: "s2" }]);
});

test("config types take the models' objects verbatim, including `as const` ones", () => {
  const fromJson: PaginatorConfig = JSON.parse('{"input_token":["A","B"],"output_token":["C","D"],"result_key":["E"]}');
  const literal = {
    more_results: "IsTruncated",
    limit_key: "MaxKeys",
    output_token: ["NextKeyMarker", "NextVersionIdMarker"],
    input_token: ["KeyMarker", "VersionIdMarker"],
    result_key: ["Versions", "DeleteMarkers", "CommonPrefixes"],
    non_aggregate_keys: ["Name"],
  } as const satisfies PaginatorConfig;
  assert.ok(paginate(async () => ({}), fromJson, {}));
  assert.ok(paginate(async () => ({}), literal, {}));
});
