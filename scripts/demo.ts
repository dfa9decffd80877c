// The demo, in two parts, touching neither real AWS nor the real ~/.aws:
// 1. Generated clients against real local servers it starts itself on loopback (s3rver,
//    dynalite): buckets, objects, a paginator, waiters, a streamed multipart upload with
//    progress, a DynamoDB table, a document-layer query and typed errors.
// 2. The core underneath: a Session resolving a `credential_process` profile from a
//    throw-away home, a signed and a presigned S3 request with the exact strings SigV4
//    signed, and the credential chain's error when nothing is configured.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { CredentialsProviderError, presignRequest, Session, signRequest, UNSIGNED_PAYLOAD, type HttpRequest } from "@stratus/core";
import { Readable } from "node:stream";
import { Attr, ConditionalCheckFailedException, DocumentClient, DynamoDB, Key } from "../packages/dynamodb/src/index.ts";
import { NoSuchKey, S3, upload } from "../packages/s3/src/index.ts";
import { LOCAL_CREDENTIALS, S3RVER_CREDENTIALS, startDynalite, startS3rver } from "./local-servers.ts";

await generatedClients();

const home = mkdtempSync(join(tmpdir(), "stratus-demo-"));
try {
  mkdirSync(join(home, ".aws"));
  const helper = join(home, "issue-credentials.mjs");
  writeFileSync(
    helper,
    `console.log(JSON.stringify({ Version: 1, AccessKeyId: "AKIADEMO00000000", SecretAccessKey: "demo-secret-never-printed",
      SessionToken: "demo-token-never-printed", Expiration: new Date(Date.now() + 3600e3).toISOString() }));\n`,
  );
  writeFileSync(
    join(home, ".aws", "config"),
    [
      "[profile demo]",
      "region = eu-west-1",
      `credential_process = "${process.execPath}" "${helper}"`,
      "",
    ].join("\n"),
  );

  const env = { HOME: home, AWS_PROFILE: "demo", AWS_EC2_METADATA_DISABLED: "true" };
  const session = new Session({ env });
  const region = await session.region();
  const credentials = await session.credentials();
  section("session");
  console.log(`profile      ${session.profileName}`);
  console.log(`region       ${region}`);
  console.log(`credentials  from ${credentials.source}, expiring ${credentials.expiration?.toISOString()}`);
  console.log(`inspect      ${inspect(credentials)}`);

  const request: HttpRequest = {
    method: "GET",
    protocol: "https:",
    hostname: `demo-bucket.s3.${region}.amazonaws.com`,
    path: "/photos/2026/cat%20on%20a%20mat.jpg",
    query: [["versionId", "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"]],
    headers: {},
  };
  const signed = signRequest(request, {
    credentials,
    region: region ?? "us-east-1",
    service: "s3",
    payloadHash: UNSIGNED_PAYLOAD,
    uriEscapePath: false,
    normalizePath: false,
    addContentSha256Header: true,
  });
  section("SigV4: canonical request (S3 rules: path signed as sent)");
  console.log(signed.canonicalRequest);
  section("SigV4: string to sign");
  console.log(signed.stringToSign);
  section("SigV4: authorization header");
  console.log(signed.request.headers["authorization"]);

  const presigned = presignRequest(request, {
    credentials,
    region: region ?? "us-east-1",
    service: "s3",
    payloadHash: UNSIGNED_PAYLOAD,
    uriEscapePath: false,
    normalizePath: false,
    expiresIn: 900,
  });
  section("presigned URL (15 minutes; the session token is part of it, so it is cut here)");
  console.log(presigned.url.replace(/X-Amz-Security-Token=[^&]+/, "X-Amz-Security-Token=…"));

  section("an empty environment: every provider says why it had nothing");
  const empty = mkdtempSync(join(tmpdir(), "stratus-demo-empty-"));
  try {
    await new Session({ env: { HOME: empty, AWS_EC2_METADATA_DISABLED: "true" } }).credentials();
  } catch (error) {
    if (!(error instanceof CredentialsProviderError)) throw error;
    console.log(`${error.name}: ${error.message}`);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}

async function generatedClients(): Promise<void> {
  section("@stratus/s3 against s3rver (started on loopback by this demo)");
  const s3server = await startS3rver();
  const s3 = new S3({ region: "us-east-1", endpoint: s3server.endpoint, credentials: S3RVER_CREDENTIALS, endpointParams: { ForcePathStyle: true }, env: {} });
  try {
    await s3.createBucket({ Bucket: "demo-photos" });
    const exists = await s3.waitUntil.bucketExists({ Bucket: "demo-photos" });
    console.log(`createBucket demo-photos, bucketExists waiter: ${exists.state} after ${exists.attempts} attempt(s)`);
    for (const name of ["cat.jpg", "dog.jpg", "owl.jpg", "yak.jpg", "emu.jpg"]) {
      await s3.putObject({ Bucket: "demo-photos", Key: `2026/${name}`, Body: `pretend this is ${name}`, ContentType: "image/jpeg" });
    }
    const keys: string[] = [];
    let pages = 0;
    for await (const page of s3.paginate.listObjects({ Bucket: "demo-photos", MaxKeys: 2 })) {
      pages++;
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ""));
    }
    console.log(`listObjects paginator: ${keys.length} keys in ${pages} pages of 2: ${keys.join(", ")}`);
    const object = await s3.getObject({ Bucket: "demo-photos", Key: "2026/owl.jpg" });
    console.log(`getObject 2026/owl.jpg: "${await object.Body?.text()}" (${object.ContentType}, request ${object.$metadata.requestId ?? "id not sent by s3rver"})`);
    try {
      await s3.getObject({ Bucket: "demo-photos", Key: "2026/unicorn.jpg" });
    } catch (error) {
      if (!(error instanceof NoSuchKey)) throw error;
      console.log(`getObject 2026/unicorn.jpg: caught ${error.name} (HTTP ${error.$metadata.httpStatusCode}, ${error.$metadata.attempts} attempt)`);
    }

    // A stream nobody knows the length of, 24 MiB of it, sent in 5 MiB parts, 3 at a time.
    const MiB = 1024 * 1024;
    const chunk = new Uint8Array(64 * 1024).fill(42);
    const body = Readable.from((function* () {
      for (let sent = 0; sent < 24 * MiB; sent += chunk.byteLength) yield chunk;
    })());
    let shown = -1;
    const uploaded = await upload(s3, { Bucket: "demo-photos", Key: "2026/video.mp4", Body: body }, {
      partSize: 5 * MiB,
      concurrency: 3,
      onProgress: ({ loaded }) => {
        const mib = Math.floor(loaded / MiB / 6) * 6;
        if (mib > shown) {
          shown = mib;
          console.log(`upload 2026/video.mp4: ${String(Math.round(loaded / MiB)).padStart(2)} MiB sent`);
        }
      },
    });
    const head = await s3.headObject({ Bucket: "demo-photos", Key: "2026/video.mp4" });
    console.log(`upload done: ${uploaded.parts} parts, ${(head.ContentLength ?? 0) / MiB} MiB stored`);
  } finally {
    await s3.destroy();
    await s3server.close();
  }

  section("@stratus/dynamodb against dynalite (started on loopback by this demo)");
  const ddbServer = await startDynalite();
  const ddb = new DynamoDB({ region: "us-east-1", endpoint: ddbServer.endpoint, credentials: LOCAL_CREDENTIALS, env: {} });
  try {
    await ddb.createTable({
      TableName: "demo-users",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    });
    const ready = await ddb.waitUntil.tableExists({ TableName: "demo-users" });
    console.log(`createTable demo-users, tableExists waiter: ${ready.state}`);
    await ddb.putItem({ TableName: "demo-users", Item: { id: { S: "ada" }, name: { S: "Ada Lovelace" }, born: { N: "1815" } } });
    const { Item } = await ddb.getItem({ TableName: "demo-users", Key: { id: { S: "ada" } } });
    console.log(`getItem ada: ${JSON.stringify(Item)}`);
    try {
      await ddb.putItem({ TableName: "demo-users", Item: { id: { S: "ada" } }, ConditionExpression: "attribute_not_exists(id)" });
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      console.log(`conditional put of an existing id: caught ${error.name}: ${error.message}`);
    }

    // The document layer: plain JavaScript values, boto3-style key and condition builders.
    await ddb.createTable({
      TableName: "demo-posts",
      AttributeDefinitions: [{ AttributeName: "author", AttributeType: "S" }, { AttributeName: "slug", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "author", KeyType: "HASH" }, { AttributeName: "slug", KeyType: "RANGE" }],
      BillingMode: "PAY_PER_REQUEST",
    });
    await ddb.waitUntil.tableExists({ TableName: "demo-posts" });
    const doc = new DocumentClient(ddb);
    for (const [slug, likes] of [["2025-engines", 12], ["2026-notes-on-bernoulli", 40], ["2026-poetical-science", 7]] as const) {
      await doc.put({ TableName: "demo-posts", Item: { author: "ada", slug, likes, tags: new Set(["math"]) } });
    }
    const { Items } = await doc.query<{ slug: string; likes: number }>({
      TableName: "demo-posts",
      KeyConditionExpression: Key("author").eq("ada").and(Key("slug").beginsWith("2026-")),
      FilterExpression: Attr("likes").gt(10),
    });
    console.log(`document query (author = ada, slug begins with 2026-, likes > 10): ${JSON.stringify(Items, (_key, value: unknown) => (value instanceof Set ? [...value] : value))}`);
  } finally {
    await ddb.destroy();
    await ddbServer.close();
  }
}

function section(title: string): void {
  console.log(`\n── ${title} ${"─".repeat(Math.max(0, 76 - title.length))}`);
}
