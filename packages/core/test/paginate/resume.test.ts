// maxItems and startingToken: the cut inside a page, the token's botocore layout, resuming
// with exactly the remaining items (over every page size / maxItems combination), map and
// binary tokens, secondary result keys, and refusal of tokens that cannot be right.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PaginationError, paginate } from "../../src/paginate/index.ts";
import { collect, decodeToken, fakeListObjectsV2, fakeQuery, keyNames, scripted, type Item } from "./fakes.ts";
import { paginatorConfig } from "./models.ts";

const listObjectsV2 = paginatorConfig("s3", "ListObjectsV2");
const query = paginatorConfig("dynamodb", "Query");

test("maxItems inside a page: the page is cut, the resume token re-requests it with an offset", async () => {
  const fake = fakeListObjectsV2(keyNames(12));
  const paginator = paginate(fake.send, listObjectsV2, { Bucket: "b" }, { maxItems: 6 });
  const pages = await collect(paginator);
  assert.deepEqual(pages.map((p) => p.Contents?.map((c) => c.Key)), [
    ["k00", "k01", "k02", "k03"],
    ["k04", "k05"],
  ]);
  assert.deepEqual(fake.calls, [{ Bucket: "b" }, { Bucket: "b", ContinuationToken: "ct-4" }]);
  assert.deepEqual(decodeToken(paginator.resumeToken), { ContinuationToken: "ct-4", boto_truncate_amount: 2 });
  // The cut page is a copy; the service's object is as it came.
  assert.equal(fake.returned[1]?.Contents?.length, 4);
  assert.equal(pages[1]?.KeyCount, 4, "other members of the cut page are kept");
});

test("resuming sends the page's token again, skips what was returned, and goes on", async () => {
  const fake = fakeListObjectsV2(keyNames(12));
  const first = paginate(fake.send, listObjectsV2, { Bucket: "b" }, { maxItems: 6 });
  await collect(first);
  fake.calls.length = 0;
  const rest = await collect(paginate(fake.send, listObjectsV2, { Bucket: "b" }, { startingToken: first.resumeToken }).items());
  assert.deepEqual(rest.map((c) => (c as { Key: string }).Key), ["k06", "k07", "k08", "k09", "k10", "k11"]);
  assert.deepEqual(fake.calls, [
    { Bucket: "b", ContinuationToken: "ct-4" },
    { Bucket: "b", ContinuationToken: "ct-8" },
  ]);
});

test("the first page cut: the token names the input token as null (nothing was sent)", async () => {
  const fake = fakeListObjectsV2(keyNames(12));
  const paginator = paginate(fake.send, listObjectsV2, { Bucket: "b" }, { maxItems: 3 });
  const items = await collect(paginator.items());
  assert.equal(items.length, 3);
  assert.deepEqual(decodeToken(paginator.resumeToken), { ContinuationToken: null, boto_truncate_amount: 3 });
  fake.calls.length = 0;
  const next = paginate(fake.send, listObjectsV2, { Bucket: "b", ContinuationToken: "junk" }, { startingToken: paginator.resumeToken, maxItems: 3 });
  assert.deepEqual((await collect(next.items())).map((c) => (c as { Key: string }).Key), ["k03", "k04", "k05"]);
  // null in the token removes the caller's own ContinuationToken from the request.
  assert.deepEqual(fake.calls, [{ Bucket: "b" }, { Bucket: "b", ContinuationToken: "ct-4" }]);
  assert.deepEqual(decodeToken(next.resumeToken), { ContinuationToken: "ct-4", boto_truncate_amount: 2 });
});

test("maxItems on a page boundary: the next page's token, no offset, and no extra request", async () => {
  const fake = fakeListObjectsV2(keyNames(12));
  const paginator = paginate(fake.send, listObjectsV2, { Bucket: "b" }, { maxItems: 8 });
  assert.equal((await collect(paginator.items())).length, 8);
  assert.equal(fake.calls.length, 2);
  assert.deepEqual(decodeToken(paginator.resumeToken), { ContinuationToken: "ct-8" });
});

test("maxItems reached on the last page leaves no resume token", async () => {
  const fake = fakeListObjectsV2(keyNames(8));
  const paginator = paginate(fake.send, listObjectsV2, { Bucket: "b" }, { maxItems: 8 });
  await collect(paginator);
  assert.equal(paginator.resumeToken, undefined);
  const more = paginate(fake.send, listObjectsV2, { Bucket: "b" }, { maxItems: 100 });
  await collect(more);
  assert.equal(more.resumeToken, undefined);
});

test("every page size × maxItems: chained resumes return each item exactly once, in order", async () => {
  const keys = keyNames(13);
  for (let pageSize = 1; pageSize <= 6; pageSize++) {
    for (let maxItems = 1; maxItems <= 14; maxItems++) {
      const fake = fakeListObjectsV2(keys);
      const seen: string[] = [];
      let token: string | undefined;
      let runs = 0;
      do {
        const paginator = paginate(fake.send, listObjectsV2, { Bucket: "b" }, { pageSize, maxItems, startingToken: token });
        const items = await collect(paginator.items());
        seen.push(...items.map((c) => (c as { Key: string }).Key));
        token = paginator.resumeToken;
        runs++;
        if (token !== undefined) assert.equal(items.length, maxItems, `pageSize ${pageSize}, maxItems ${maxItems}, run ${runs}`);
        assert.ok(runs <= keys.length, "resumes must make progress");
      } while (token !== undefined);
      assert.deepEqual(seen, keys, `pageSize ${pageSize}, maxItems ${maxItems}`);
      assert.equal(runs, Math.ceil(keys.length / maxItems), `pageSize ${pageSize}, maxItems ${maxItems}`);
    }
  }
});

test("an offset carried across a resume adds up: start 1, keep 1 gives offset 2 (botocore's example)", async () => {
  const fake = fakeListObjectsV2(keyNames(4), 4);
  const start = Buffer.from(JSON.stringify({ ContinuationToken: null, boto_truncate_amount: 1 })).toString("base64");
  const paginator = paginate(fake.send, listObjectsV2, { Bucket: "b" }, { startingToken: start, maxItems: 1 });
  assert.deepEqual((await collect(paginator.items())).map((c) => (c as { Key: string }).Key), ["k01"]);
  assert.deepEqual(decodeToken(paginator.resumeToken), { ContinuationToken: null, boto_truncate_amount: 2 });
});

test("secondary result keys: kept on the cut page, emptied on the resumed part of it, kept after a boundary", async () => {
  const fake = fakeListObjectsV2(keyNames(12));
  const cut = paginate(fake.send, listObjectsV2, { Bucket: "b" }, { maxItems: 6 });
  const cutPages = await collect(cut);
  assert.deepEqual(cutPages[1]?.CommonPrefixes, [{ Prefix: "from-4/" }]);
  const resumed = await collect(paginate(fake.send, listObjectsV2, { Bucket: "b" }, { startingToken: cut.resumeToken }));
  assert.deepEqual(resumed[0]?.CommonPrefixes, [], "already returned with the cut page");
  assert.deepEqual(resumed[1]?.CommonPrefixes, [{ Prefix: "from-8/" }]);

  const boundary = paginate(fake.send, listObjectsV2, { Bucket: "b" }, { maxItems: 4 });
  await collect(boundary);
  const afterBoundary = await collect(paginate(fake.send, listObjectsV2, { Bucket: "b" }, { startingToken: boundary.resumeToken }));
  assert.deepEqual(afterBoundary[0]?.CommonPrefixes, [{ Prefix: "from-4/" }], "a boundary resume loses nothing");
});

test("dynamodb Query: a map token in the resume token, resumed to exactly the remaining items", async () => {
  const fake = fakeQuery(10);
  const first = paginate(fake.send, query, { TableName: "t" }, { maxItems: 5 });
  const firstItems = await collect(first.items());
  assert.equal(firstItems.length, 5);
  assert.deepEqual(decodeToken(first.resumeToken), {
    ExclusiveStartKey: { pk: { S: "user" }, sk: { N: "3" } },
    boto_truncate_amount: 1,
  });
  fake.calls.length = 0;
  const rest = await collect(paginate(fake.send, query, { TableName: "t" }, { startingToken: first.resumeToken }).items());
  assert.deepEqual(
    [...firstItems, ...rest].map((item) => (item as Item & { data: { S: string } }).data.S),
    Array.from({ length: 10 }, (_, i) => `item-${i}`),
  );
  assert.deepEqual(fake.calls[0], { TableName: "t", ExclusiveStartKey: { pk: { S: "user" }, sk: { N: "3" } } });
});

test("binary key attributes survive the resume token (botocore's boto_encoded_keys)", async () => {
  const fake = fakeQuery(9, { binaryKeys: true });
  const first = paginate(fake.send, query, { TableName: "t" }, { maxItems: 6 });
  await collect(first);
  assert.deepEqual(decodeToken(first.resumeToken), {
    ExclusiveStartKey: { pk: { S: "user" }, sk: { B: Buffer.from([3]).toString("base64") } },
    boto_truncate_amount: 2,
    boto_encoded_keys: [["ExclusiveStartKey", "sk", "B"]],
  });
  fake.calls.length = 0;
  const rest = await collect(paginate(fake.send, query, { TableName: "t" }, { startingToken: first.resumeToken }).items());
  assert.deepEqual(rest.map((item) => (item as Item & { data: { S: string } }).data.S), ["item-6", "item-7", "item-8"]);
  const sent = fake.calls[0]?.ExclusiveStartKey as { sk: { B: unknown } };
  assert.ok(sent.sk.B instanceof Uint8Array, "sent back as bytes, not base64 text");
  assert.deepEqual([...sent.sk.B], [3]);
});

test("a raw service token works as startingToken for a one-token operation", async () => {
  const fake = fakeListObjectsV2(keyNames(12));
  const items = await collect(paginate(fake.send, listObjectsV2, { Bucket: "b" }, { startingToken: "ct-8" }).items());
  assert.equal(items.length, 4);
  assert.deepEqual(fake.calls, [{ Bucket: "b", ContinuationToken: "ct-8" }]);
});

test("tokens that cannot be right are refused before any request", () => {
  const send = async () => ({});
  const versions = paginatorConfig("s3", "ListObjectVersions");
  const encode = (body: unknown) => Buffer.from(JSON.stringify(body)).toString("base64");
  // Not our format, and two input tokens: there is no way to tell what it is.
  assert.throws(() => paginate(send, versions, {}, { startingToken: "opaque" }), PaginationError);
  // Made for another operation.
  assert.throws(
    () => paginate(send, listObjectsV2, {}, { startingToken: encode({ ExclusiveStartKey: {} }) }),
    (e: unknown) => e instanceof PaginationError && /ExclusiveStartKey/.test(e.message),
  );
  assert.throws(() => paginate(send, listObjectsV2, {}, { startingToken: encode({ ContinuationToken: "x", boto_truncate_amount: -1 }) }), PaginationError);
  assert.throws(() => paginate(send, listObjectsV2, {}, { startingToken: encode({ ContinuationToken: "x", boto_encoded_keys: [["nope"]] }) }), PaginationError);
  // Two-token operations take their own format.
  assert.ok(paginate(send, versions, {}, { startingToken: encode({ KeyMarker: "a", VersionIdMarker: null }) }));
});

test("maxItems needs a plain-path result key; without one it fails at once", () => {
  const send = async () => ({});
  assert.throws(() => paginate(send, { input_token: "T", output_token: "T" }, {}, { maxItems: 5 }), PaginationError);
  assert.throws(
    () => paginate(send, { input_token: "T", output_token: "T", result_key: "Reservations[].Instances[]" }, {}, { maxItems: 5 }),
    (e: unknown) => e instanceof PaginationError && /plain member path/.test(e.message),
  );
});

test("a nested result key is cut without touching its siblings (kinesis StreamDescription.Shards)", async () => {
  const config = paginatorConfig("kinesis", "DescribeStream");
  const page = { StreamDescription: { StreamName: "s", Shards: [{ ShardId: "a" }, { ShardId: "b" }, { ShardId: "c" }], HasMoreShards: false } };
  const fake = scripted([page]);
  const pages = await collect(paginate(fake.send, config, { StreamName: "s" }, { maxItems: 2 }));
  assert.deepEqual(pages, [{ StreamDescription: { StreamName: "s", Shards: [{ ShardId: "a" }, { ShardId: "b" }], HasMoreShards: false } }]);
  assert.equal(page.StreamDescription.Shards.length, 3, "the service's object is unchanged");
});
