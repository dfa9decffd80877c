// Kinesis end to end against kinesalite (bound to loopback through its function form): a
// stream through its waiter, records in and out, and a paginator over the shards.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Kinesis, ResourceNotFoundException } from "../../packages/kinesis/src/index.ts";
import { LOCAL_CREDENTIALS, startKinesalite, type RunningServer } from "../../scripts/local-servers.ts";

describe("Kinesis against kinesalite", () => {
  let server: RunningServer;
  let kinesis: Kinesis;

  before(async () => {
    server = await startKinesalite();
    kinesis = new Kinesis({ region: "us-east-1", endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS, env: {} });
  });
  after(async () => {
    await kinesis.destroy();
    await server.close();
  });

  it("creates a stream, puts records and reads them back in order", async () => {
    await kinesis.createStream({ StreamName: "stratus-e2e", ShardCount: 3 });
    const ready = await kinesis.waitUntil.streamExists({ StreamName: "stratus-e2e" }, { maxWait: 20_000 });
    assert.equal(ready.state, "success");

    const shards: string[] = [];
    for await (const shard of kinesis.paginate.listShards({ StreamName: "stratus-e2e", MaxResults: 1 }).items()) {
      shards.push(shard.ShardId ?? "");
    }
    assert.equal(shards.length, 3);

    const sent: string[] = [];
    for (let i = 0; i < 5; i++) {
      const data = `event-${i}`;
      const put = await kinesis.putRecord({ StreamName: "stratus-e2e", PartitionKey: "one-key", Data: new TextEncoder().encode(data) });
      assert.ok(put.ShardId && put.SequenceNumber);
      sent.push(data);
    }
    const { ShardId } = await kinesis.putRecord({ StreamName: "stratus-e2e", PartitionKey: "one-key", Data: "event-5" });
    sent.push("event-5");

    const iterator = await kinesis.getShardIterator({ StreamName: "stratus-e2e", ShardId: ShardId ?? "", ShardIteratorType: "TRIM_HORIZON" });
    const records = await kinesis.getRecords({ ShardIterator: iterator.ShardIterator ?? "" });
    const received = (records.Records ?? []).map((r) => new TextDecoder().decode(r.Data));
    assert.deepEqual(received, sent);
    assert.ok((records.Records ?? []).every((r) => r.ApproximateArrivalTimestamp instanceof Date));
  });

  it("raises ResourceNotFoundException for a missing stream", async () => {
    await assert.rejects(kinesis.describeStream({ StreamName: "missing-stream" }), ResourceNotFoundException);
  });
});
