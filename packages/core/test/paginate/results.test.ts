// What comes out of the pages: items() (the primary result key), search() (JMESPath per
// page, lists flattened), and buildFullResult() (every result key aggregated, the
// non-aggregate keys of the first page, and the resume token beside the result).
import { test } from "node:test";
import assert from "node:assert/strict";
import { JmesPathError, PaginationError, paginate } from "../../src/paginate/index.ts";
import { collect, decodeToken, fakeListObjectsV2, fakeQuery, keyNames, scripted } from "./fakes.ts";
import { paginatorConfig } from "./models.ts";

const describeInstances = paginatorConfig("ec2", "DescribeInstances");

function ec2Pages() {
  return scripted([
    {
      Reservations: [
        { ReservationId: "r-1", Instances: [{ InstanceId: "i-1", State: { Name: "running" } }, { InstanceId: "i-2", State: { Name: "stopped" } }] },
        { ReservationId: "r-2", Instances: [{ InstanceId: "i-3", State: { Name: "running" } }] },
      ],
      NextToken: "p2",
    },
    { Reservations: [] , NextToken: "p3" },
    { Reservations: [{ ReservationId: "r-3", Instances: [{ InstanceId: "i-4", State: { Name: "pending" } }] }] },
  ]);
}

test("ec2 DescribeInstances: items() yields the reservations (the model's result key)", async () => {
  assert.equal(describeInstances.result_key, "Reservations");
  const fake = ec2Pages();
  const reservations = await collect(paginate(fake.send, describeInstances, {}).items());
  assert.deepEqual(reservations.map((r) => (r as { ReservationId: string }).ReservationId), ["r-1", "r-2", "r-3"]);
  assert.deepEqual(fake.calls, [{}, { NextToken: "p2" }, { NextToken: "p3" }]);
});

test("search('Reservations[].Instances[]') flattens the instances of every page, in order", async () => {
  const instances = await collect(paginate(ec2Pages().send, describeInstances, {}).search("Reservations[].Instances[]"));
  assert.deepEqual(instances.map((i) => (i as { InstanceId: string }).InstanceId), ["i-1", "i-2", "i-3", "i-4"]);
  const running = await collect(
    paginate(ec2Pages().send, describeInstances, {}).search("Reservations[].Instances[?State.Name=='running'].InstanceId[]"),
  );
  assert.deepEqual(running, ["i-1", "i-3"]);
});

test("search yields a scalar per page as is, and skips pages where it finds nothing", async () => {
  const fake = scripted([
    { Topics: [{ TopicArn: "a" }], NextToken: "t", Marker: "m1" },
    { Topics: [{ TopicArn: "b" }] },
  ]);
  assert.deepEqual(await collect(paginate(fake.send, paginatorConfig("sns", "ListTopics"), {}).search("Marker")), ["m1"]);
});

test("a bad search expression fails when search() is called, before any request", () => {
  const fake = ec2Pages();
  assert.throws(() => paginate(fake.send, describeInstances, {}).search("Reservations[."), JmesPathError);
  assert.equal(fake.calls.length, 0);
});

test("a synthetic result key with projections: items() flattens it, maxItems is refused", async () => {
  const config = { input_token: "NextToken", output_token: "NextToken", result_key: "Reservations[].Instances[]" };
  const ids = await collect(paginate(ec2Pages().send, config, {}).items());
  assert.deepEqual(ids.map((i) => (i as { InstanceId: string }).InstanceId), ["i-1", "i-2", "i-3", "i-4"]);
  assert.throws(() => paginate(ec2Pages().send, config, {}, { maxItems: 2 }), PaginationError);
});

test("items() yields only the primary key (S3 Contents, not CommonPrefixes) and is typed by the caller", async () => {
  const fake = fakeListObjectsV2(keyNames(6));
  const items = paginate<{ Bucket: string }, object, { Key: string }>(fake.send, paginatorConfig("s3", "ListObjectsV2"), { Bucket: "b" }).items();
  const keys: string[] = [];
  for await (const object of items) keys.push(object.Key);
  assert.deepEqual(keys, keyNames(6));
});

test("items() without a result key is an error before any request", () => {
  const fake = ec2Pages();
  assert.throws(() => paginate(fake.send, { input_token: "NextToken", output_token: "NextToken" }, {}).items(), PaginationError);
  assert.equal(fake.calls.length, 0);
});

test("dynamodb Query buildFullResult: Items joined, Count and ScannedCount summed, ConsumedCapacity from page one", async () => {
  const fake = fakeQuery(10);
  const full = await paginate(fake.send, paginatorConfig("dynamodb", "Query"), { TableName: "t" }).buildFullResult();
  assert.equal(full.result.Items?.length, 10);
  assert.equal(full.result.Count, 10);
  assert.equal(full.result.ScannedCount, 20);
  assert.deepEqual(full.result.ConsumedCapacity, { TableName: "t", CapacityUnits: 0.5 });
  assert.deepEqual(Object.keys(full.result).sort(), ["ConsumedCapacity", "Count", "Items", "ScannedCount"], "no token, no other members");
  assert.equal(full.resumeToken, undefined);
  assert.equal(fake.returned[0]?.Items?.length, 4, "the first page's list was copied, not appended to");
});

test("buildFullResult with maxItems: the resume token is beside the result, not inside it", async () => {
  const fake = fakeListObjectsV2(keyNames(12));
  const full = await paginate(fake.send, paginatorConfig("s3", "ListObjectsV2"), { Bucket: "b" }, { maxItems: 5 }).buildFullResult();
  assert.deepEqual(full.result.Contents?.map((c) => c.Key), keyNames(5));
  assert.deepEqual(full.result.CommonPrefixes, [{ Prefix: "from-0/" }, { Prefix: "from-4/" }]);
  assert.equal("NextToken" in full.result, false);
  assert.deepEqual(decodeToken(full.resumeToken), { ContinuationToken: "ct-4", boto_truncate_amount: 1 });
});

test("iam GetGroup buildFullResult: Users over all pages plus the Group (non-aggregate) from page one", async () => {
  const fake = scripted([
    { Group: { GroupName: "admins" }, Users: [{ UserName: "ann" }], IsTruncated: true, Marker: "m1" },
    { Group: { GroupName: "admins" }, Users: [{ UserName: "bob" }], IsTruncated: false },
  ]);
  const full = await paginate(fake.send, paginatorConfig("iam", "GetGroup"), { GroupName: "admins" }).buildFullResult();
  assert.deepEqual(full.result, { Users: [{ UserName: "ann" }, { UserName: "bob" }], Group: { GroupName: "admins" } });
});

test("kinesis DescribeStream buildFullResult: nested result key and nested non-aggregate keys merge", async () => {
  const fake = scripted([
    { StreamDescription: { StreamName: "s", StreamStatus: "ACTIVE", Shards: [{ ShardId: "a" }], HasMoreShards: true } },
    { StreamDescription: { StreamName: "s", StreamStatus: "ACTIVE", Shards: [{ ShardId: "b" }], HasMoreShards: false } },
  ]);
  const full = await paginate(fake.send, paginatorConfig("kinesis", "DescribeStream"), { StreamName: "s" }).buildFullResult();
  assert.deepEqual(full.result, { StreamDescription: { Shards: [{ ShardId: "a" }, { ShardId: "b" }], StreamName: "s", StreamStatus: "ACTIVE" } });
});
