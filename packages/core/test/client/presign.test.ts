// ServiceClient.presign with real schemas and endpoint rule sets (S3 rest-xml, STS query,
// DynamoDB json, Lambda rest-json). Signatures are checked three ways: against the value
// the S3 documentation publishes for its presigned GET example, by an independent SigV4
// query verifier written here from node:crypto (a loopback server fed by the global
// fetch), and against `presignRequest` run by hand on the same canonical request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { inspect } from "node:util";
import type { CallOptions } from "../../src/client/call-scope.ts";
import type { ClientConfig } from "../../src/client/config.ts";
import { ServiceClient } from "../../src/client/service-client.ts";
import { Credentials } from "../../src/credentials/credentials.ts";
import { AbortError, StratusError, ValidationError } from "../../src/errors/index.ts";
import type { HttpRequest } from "../../src/http/http-request.ts";
import type { OperationSchema } from "../../src/schema/types.ts";
import { MAX_PRESIGN_EXPIRY, presignRequest, SigningError, UNSIGNED_PAYLOAD } from "../../src/signing/index.ts";
import { startLoopbackServer, type ReceivedRequest } from "../support/loopback-server.ts";
import { loadService, loopbackConfig, op, PARTITIONS, testEnv } from "./service-fixtures.ts";

const s3 = loadService("s3", "2006-03-01", { stripBucketFromPath: true });
const sts = loadService("sts", "2011-06-15");
const dynamodb = loadService("dynamodb", "2012-08-10");
const lambda = loadService("lambda", "2015-03-31");

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const KEYS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET };
const TOKEN = "FQoGZXIvYXdzE+session/token=";

/** What a generated client looks like: one method per operation, each a `send` of its schema. */
class FixtureS3 extends ServiceClient {
  constructor(config: ClientConfig) {
    super(s3.definition, config);
  }
  getObject(input: object, options?: CallOptions) {
    return this.send(op(s3, "GetObject"), input, options);
  }
  putObject(input: object, options?: CallOptions) {
    return this.send(op(s3, "PutObject"), input, options);
  }
}

/** A client config reaching no server: the rule set's own AWS host. */
function awsConfig(extra: ClientConfig = {}): ClientConfig {
  return { region: "us-east-1", credentials: KEYS, env: testEnv(), partitions: PARTITIONS, ...extra };
}

// ---- an independent SigV4 query-string verifier (node:crypto only) ---------------------

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
const hmac = (key: string | Buffer, text: string): Buffer => createHmac("sha256", key).update(text, "utf8").digest();
const rfc3986 = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface Verdict {
  readonly ok: boolean;
  readonly reason: string;
  readonly params: ReadonlyMap<string, string>;
}

/** Recomputes the signature of a received presigned request, as a server would. */
function verifyPresigned(req: Pick<ReceivedRequest, "method" | "url" | "headers">, secret: string, s3Rules: boolean): Verdict {
  const at = req.url.indexOf("?");
  const rawPath = at === -1 ? req.url : req.url.slice(0, at);
  const pairs = (at === -1 ? "" : req.url.slice(at + 1))
    .split("&")
    .filter(Boolean)
    .map((pair): [string, string] => {
      const eq = pair.indexOf("=");
      return [decodeURIComponent(pair.slice(0, eq)), decodeURIComponent(pair.slice(eq + 1))];
    });
  const params = new Map(pairs);
  const given = params.get("X-Amz-Signature");
  const credential = params.get("X-Amz-Credential") ?? "";
  const amzDate = params.get("X-Amz-Date") ?? "";
  const expires = Number(params.get("X-Amz-Expires"));
  if (params.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256" || !given) return { ok: false, reason: "not presigned", params };
  const issued = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
  if (!(issued + expires * 1000 > Date.now())) return { ok: false, reason: "expired", params };

  const canonicalUri = s3Rules ? rawPath : rawPath.split("/").map(rfc3986).join("/");
  const canonicalQuery = pairs
    .filter(([name]) => name !== "X-Amz-Signature")
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  const signedNames = (params.get("X-Amz-SignedHeaders") ?? "").split(";");
  const canonicalHeaders = signedNames
    .map((name) => `${name}:${String(req.headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const payload = s3Rules ? "UNSIGNED-PAYLOAD" : sha256("");
  const creq = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, signedNames.join(";"), payload].join("\n");
  const [, day = "", region = "", service = ""] = credential.split("/");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(creq)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), "aws4_request");
  const expected = createHmac("sha256", key).update(toSign, "utf8").digest("hex");
  return expected === given ? { ok: true, reason: "", params } : { ok: false, reason: "SignatureDoesNotMatch", params };
}

/** A loopback "service" that accepts a request only when its presigned query verifies. */
async function verifyingServer(secret: string, s3Rules: boolean) {
  const verdicts: Verdict[] = [];
  const server = await startLoopbackServer((req, res) => {
    const verdict = verifyPresigned(req, secret, s3Rules);
    verdicts.push(verdict);
    res.writeHead(verdict.ok ? 200 : 403, { "content-type": "text/plain" });
    res.end(verdict.ok ? "verified" : verdict.reason);
  });
  return Object.assign(server, { verdicts });
}

// ---- signatures ------------------------------------------------------------------------

test("S3 GetObject presigns to the signature the S3 documentation publishes for its example", async () => {
  await using client = new ServiceClient(s3.definition, awsConfig({ endpointParams: { UseGlobalEndpoint: true } }));
  const presigned = await client.presign(op(s3, "GetObject"), { Bucket: "examplebucket", Key: "test.txt" }, {
    expiresIn: 86400,
    signingDate: new Date("2013-05-24T00:00:00Z"),
  });
  assert.equal(
    presigned.url,
    "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
      "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
      "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
      "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
  );
  assert.equal(presigned.method, "GET");
  assert.deepEqual(presigned.headers, {});
  assert.equal(presigned.expiresAt.toISOString(), "2013-05-25T00:00:00.000Z");
});

test("an S3 presigned GET fetched with fetch verifies on an independent verifier; a tampered one does not", async () => {
  const server = await verifyingServer(SECRET, true);
  await using client = new ServiceClient(s3.definition, loopbackConfig(server.url, { credentials: KEYS, endpointParams: { ForcePathStyle: true } }));
  try {
    const presigned = await client.presign(op(s3, "GetObject"), { Bucket: "bucket", Key: "dir/a b+c~(1).txt", VersionId: "v 1" });
    const url = new URL(presigned.url);
    assert.equal(url.pathname, "/bucket/dir/a%20b%2Bc~%281%29.txt");
    assert.equal(url.searchParams.get("versionId"), "v 1");

    const ok = await fetch(presigned.url, { method: presigned.method, headers: presigned.headers });
    assert.equal(await ok.text(), "verified");
    assert.equal(ok.status, 200);

    const longer = presigned.url.replace("X-Amz-Expires=900", "X-Amz-Expires=901");
    assert.notEqual(longer, presigned.url);
    const tampered = await fetch(longer);
    assert.equal(tampered.status, 403);
    assert.equal(await tampered.text(), "SignatureDoesNotMatch");

    const wrongKey = await verifyingServer("not-the-secret", true);
    try {
      const refused = await fetch(presigned.url.replace(server.url, wrongKey.url));
      assert.equal(refused.status, 403);
    } finally {
      await wrongKey.close();
    }
  } finally {
    await server.close();
  }
});

test("the signature is presignRequest's over the same canonical request (the wiring: region, name, date, S3 rules)", async () => {
  await using client = new ServiceClient(s3.definition, awsConfig({ region: "eu-west-1", credentials: { ...KEYS, sessionToken: TOKEN } }));
  const signingDate = new Date("2024-02-29T10:11:12Z");
  const presigned = await client.presign(
    op(s3, "PutObject"),
    { Bucket: "my-bucket", Key: "a//b/../c d.bin", ContentType: "application/x-thing", Metadata: { owner: "me" } },
    { expiresIn: 3600, signingDate },
  );
  const url = new URL(presigned.url);
  assert.equal(url.hostname, "my-bucket.s3.eu-west-1.amazonaws.com");
  const request: HttpRequest = {
    method: "PUT",
    protocol: "https:",
    hostname: url.hostname,
    path: "/a//b/../c%20d.bin",
    query: [...url.searchParams].filter(([name]) => !name.startsWith("X-Amz-")),
    headers: { ...presigned.headers },
  };
  const byHand = presignRequest(request, {
    credentials: { ...KEYS, sessionToken: TOKEN },
    region: "eu-west-1",
    service: "s3",
    signingDate,
    expiresIn: 3600,
    payloadHash: UNSIGNED_PAYLOAD,
    uriEscapePath: false,
    normalizePath: false,
  });
  assert.equal(presigned.url, byHand.url);
  assert.deepEqual(presigned.headers, { "content-type": "application/x-thing", "x-amz-meta-owner": "me" });
  assert.equal(url.searchParams.get("X-Amz-SignedHeaders"), "content-type;host;x-amz-meta-owner");
  assert.equal(url.searchParams.get("X-Amz-Security-Token"), TOKEN);
  assert.equal(url.searchParams.get("X-Amz-Credential"), "AKIAIOSFODNN7EXAMPLE/20240229/eu-west-1/s3/aws4_request");
  assert.equal(url.searchParams.get("X-Amz-Date"), "20240229T101112Z");
  assert.equal(url.searchParams.get("X-Amz-Expires"), "3600");
  assert.equal(presigned.expiresAt.getTime(), signingDate.getTime() + 3600_000);
});

test("a session token is in the URL and signed; without one there is none", async () => {
  const server = await verifyingServer(SECRET, true);
  try {
    for (const sessionToken of [TOKEN, undefined]) {
      await using client = new ServiceClient(
        s3.definition,
        loopbackConfig(server.url, { credentials: new Credentials({ ...KEYS, sessionToken }, "test"), endpointParams: { ForcePathStyle: true } }),
      );
      const presigned = await client.presign(op(s3, "HeadObject"), { Bucket: "bucket", Key: "k" });
      assert.equal(presigned.method, "HEAD");
      assert.equal(new URL(presigned.url).searchParams.get("X-Amz-Security-Token"), sessionToken ?? null);
      const response = await fetch(presigned.url, { method: "HEAD" });
      assert.equal(response.status, 200);
      assert.equal(server.verdicts.at(-1)?.params.get("X-Amz-Security-Token"), sessionToken);
    }
  } finally {
    await server.close();
  }
});

test("no retry headers, user agent or computed checksums are signed or in the URL", async () => {
  await using client = new ServiceClient(s3.definition, awsConfig());
  const got = await client.presign(op(s3, "GetObject"), { Bucket: "bucket-name", Key: "k" });
  const put = await client.presign(op(s3, "PutObject"), { Bucket: "bucket-name", Key: "k", ChecksumAlgorithm: "SHA256", ContentLength: 5 });
  for (const presigned of [got, put]) {
    const signed = new URL(presigned.url).searchParams.get("X-Amz-SignedHeaders") ?? "";
    for (const text of [presigned.url.toLowerCase(), signed, Object.keys(presigned.headers).join(" ")]) {
      assert.doesNotMatch(text, /amz-sdk-invocation-id|amz-sdk-request|user-agent|x-amz-checksum-|x-amz-content-sha256/);
    }
  }
  // GetObject's response validation (x-amz-checksum-mode) is not asked for behind the caller's back.
  assert.deepEqual(got.headers, {});
  // The caller's algorithm is signed; its value is for whoever sends the body. ContentLength caps the upload.
  assert.deepEqual(put.headers, { "x-amz-sdk-checksum-algorithm": "SHA256", "content-length": "5" });
  const withValue = await client.presign(op(s3, "PutObject"), { Bucket: "bucket-name", Key: "k", ChecksumSHA256: "LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=" });
  assert.equal(withValue.headers["x-amz-checksum-sha256"], "LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=");
});

test("the client's beforeSign hook shapes the presigned request, and its header is signed", async () => {
  const seen: number[] = [];
  await using client = new ServiceClient(
    s3.definition,
    awsConfig({
      hooks: {
        beforeSign: (request, context) => {
          seen.push(context.attempt);
          return { ...request, headers: { ...request.headers, "x-amz-meta-from-hook": "yes" } };
        },
      },
    }),
  );
  const presigned = await client.presign(op(s3, "PutObject"), { Bucket: "bucket-name", Key: "k" });
  assert.deepEqual(seen, [1]);
  assert.deepEqual(presigned.headers, { "x-amz-meta-from-hook": "yes" });
});

// ---- query protocol, bodies, method -------------------------------------------------------

test("query protocol (STS): the form body moves into the query; httpMethod GET makes a plain link that verifies", async () => {
  const server = await verifyingServer(SECRET, false);
  await using client = new ServiceClient(sts.definition, loopbackConfig(server.url, { credentials: { ...KEYS, sessionToken: TOKEN } }));
  try {
    const input = { RoleArn: "arn:aws:iam::123456789012:role/demo", RoleSessionName: "a b&c=d", DurationSeconds: 900 };
    const posted = await client.presign(op(sts, "AssumeRole"), input);
    assert.equal(posted.method, "POST");
    assert.deepEqual(posted.headers, {});
    const params = new URL(posted.url).searchParams;
    assert.equal(params.get("Action"), "AssumeRole");
    assert.equal(params.get("Version"), "2011-06-15");
    assert.equal(params.get("RoleArn"), input.RoleArn);
    assert.equal(params.get("RoleSessionName"), input.RoleSessionName);
    assert.equal(params.get("DurationSeconds"), "900");
    assert.equal(params.get("X-Amz-SignedHeaders"), "host");
    assert.match(params.get("X-Amz-Credential") ?? "", /^AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/sts\/aws4_request$/);

    const viaPost = await fetch(posted.url, { method: "POST" });
    assert.equal(viaPost.status, 200);

    const link = await client.presign(op(sts, "GetCallerIdentity"), {}, { httpMethod: "get" });
    assert.equal(link.method, "GET");
    const viaGet = await fetch(link.url);
    assert.equal(await viaGet.text(), "verified");
    assert.equal(server.requests.at(-1)?.method, "GET");
    assert.equal(server.requests.at(-1)?.body, "");

    // The method is signed: the GET link is no good as a POST.
    const asPost = await fetch(link.url, { method: "POST" });
    assert.equal(asPost.status, 403);
  } finally {
    await server.close();
  }
});

test("a JSON body cannot go in a URL: json and rest-json calls with a body are refused, bodiless ones presign", async () => {
  await using ddb = new ServiceClient(dynamodb.definition, awsConfig());
  await assert.rejects(ddb.presign(op(dynamodb, "GetItem"), { TableName: "t", Key: { id: { S: "1" } } }), (error: unknown) => {
    assert.ok(error instanceof StratusError);
    assert.match(error.message, /^cannot presign DynamoDB\.GetItem: its request has a body \(application\/x-amz-json-1\.0\), which a URL cannot carry/);
    return true;
  });

  await using fn = new ServiceClient(lambda.definition, awsConfig());
  await assert.rejects(fn.presign(op(lambda, "Invoke"), { FunctionName: "f", Payload: new TextEncoder().encode("{}") }), /cannot presign Lambda\.Invoke: its request has a body/);
  const presigned = await fn.presign(op(lambda, "GetFunction"), { FunctionName: "my-function", Qualifier: "1" });
  const url = new URL(presigned.url);
  assert.equal(url.pathname, "/2015-03-31/functions/my-function");
  assert.equal(url.searchParams.get("Qualifier"), "1");
  assert.match(url.searchParams.get("X-Amz-Credential") ?? "", /\/us-east-1\/lambda\/aws4_request$/);

  await using bucket = new ServiceClient(s3.definition, awsConfig());
  await assert.rejects(bucket.presign(op(s3, "PutObject"), { Bucket: "bucket-name", Key: "k", Body: "data" }), /cannot presign S3\.PutObject: its request has a body/);
});

test("an operation called without a signature has nothing to presign", async () => {
  await using client = new ServiceClient(sts.definition, awsConfig());
  await assert.rejects(
    client.presign(op(sts, "AssumeRoleWithWebIdentity"), { RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "session", WebIdentityToken: "web-identity-token" }),
    /cannot presign STS\.AssumeRoleWithWebIdentity: it is called without a signature/,
  );
});

// ---- the operation by name ----------------------------------------------------------------

test("an operation is found by its name on a generated-style client; an unknown name says so briefly", async () => {
  await using client = new FixtureS3(awsConfig());
  const byName = await client.presign("GetObject", { Bucket: "bucket-name", Key: "k" }, { signingDate: new Date("2024-01-01T00:00:00Z") });
  const bySchema = await client.presign(op(s3, "GetObject"), { Bucket: "bucket-name", Key: "k" }, { signingDate: new Date("2024-01-01T00:00:00Z") });
  assert.equal(byName.url, bySchema.url);
  assert.equal((await client.presign("PutObject", { Bucket: "bucket-name", Key: "k" })).method, "PUT");

  for (const name of ["GetObjct", "getObject", "Send", "Presign", "constructor", ""]) {
    await assert.rejects(client.presign(name, { Bucket: "b", Key: "k" }), (error: unknown) => {
      assert.ok(error instanceof StratusError);
      assert.equal(error.message, `S3 has no operation ${name}`);
      return true;
    });
  }
});

// ---- checks before anything else ------------------------------------------------------------

test("the expiry must be 1 s to 7 days, checked before the operation, the input and the settings", async () => {
  let resolved = 0;
  const credentials = { name: "counting", resolve: async () => (resolved++, new Credentials(KEYS, "test")) };
  await using client = new FixtureS3(awsConfig({ credentials }));
  for (const bad of [0, -1, 1.5, MAX_PRESIGN_EXPIRY + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
    await assert.rejects(client.presign("NoSuchThing", { Nope: 1 }, { expiresIn: bad }), (error: unknown) => {
      assert.ok(error instanceof SigningError);
      assert.match(error.message, /^cannot presign: expiresIn must be a whole number of seconds from 1 to 604800 \(7 days\); got /);
      return true;
    });
  }
  await assert.rejects(client.presign("GetObject", { Bucket: "b", Key: "k" }, { httpMethod: "GET /x" }), /httpMethod must be an HTTP method/);
  await assert.rejects(client.presign("GetObject", { Bucket: "b", Key: "k" }, { signingDate: new Date("nope") }), /signingDate is not a valid date/);
  assert.equal(resolved, 0);

  for (const [expiresIn, expected] of [[1, "1"], [MAX_PRESIGN_EXPIRY, "604800"], [undefined, "900"]] as const) {
    const presigned = await client.presign("GetObject", { Bucket: "bucket-name", Key: "k" }, { expiresIn, signingDate: new Date("2024-01-01T00:00:00Z") });
    assert.equal(new URL(presigned.url).searchParams.get("X-Amz-Expires"), expected);
    assert.equal(presigned.expiresAt.getTime(), Date.parse("2024-01-01T00:00:00Z") + Number(expected) * 1000);
  }
});

test("validation names every problem before settings or credentials are resolved", async () => {
  let resolved = 0;
  const credentials = { name: "counting", resolve: async () => (resolved++, new Credentials(KEYS, "test")) };
  // No region: resolving the settings would fail, so reaching them would show.
  await using client = new ServiceClient(s3.definition, { credentials, env: testEnv(), partitions: PARTITIONS });
  await assert.rejects(client.presign(op(s3, "GetObject"), { Bucket: 7, PartNumber: "x" }), (error: unknown) => {
    assert.ok(error instanceof ValidationError);
    assert.match(error.message, /input\.Key: required member is missing/);
    assert.match(error.message, /input\.Bucket: expected a string/);
    assert.match(error.message, /input\.PartNumber: expected/);
    return true;
  });
  assert.equal(resolved, 0);
});

test("an aborted signal stops the presign with an AbortError", async () => {
  await using client = new ServiceClient(s3.definition, awsConfig());
  const controller = new AbortController();
  controller.abort(new Error("changed my mind"));
  await assert.rejects(client.presign(op(s3, "GetObject"), { Bucket: "b", Key: "k" }, { signal: controller.signal }), AbortError);
});

// ---- secrets ----------------------------------------------------------------------------------

test("the secret key is never in the URL, the headers or an error; util.inspect hides signature and token", async () => {
  const secret = "Sup3rSecretKeyThatMustNotLeak/xyz+abc";
  await using client = new FixtureS3(awsConfig({ credentials: { accessKeyId: "AKIDLEAKTEST", secretAccessKey: secret, sessionToken: TOKEN } }));
  const presigned = await client.presign("PutObject", { Bucket: "bucket-name", Key: "k", SSECustomerKey: "customer-key-material", SSECustomerAlgorithm: "AES256" });
  const everything = [presigned.url, decodeURIComponent(presigned.url), JSON.stringify(presigned.headers)].join("\n");
  assert.ok(!everything.includes(secret));
  assert.ok(!everything.includes(encodeURIComponent(secret)));

  const shown = inspect(presigned, { depth: 5 });
  for (const hidden of [TOKEN, encodeURIComponent(TOKEN), new URL(presigned.url).searchParams.get("X-Amz-Signature") ?? "?", secret]) {
    assert.ok(!shown.includes(hidden), `util.inspect shows ${hidden}`);
  }
  assert.match(shown, /X-Amz-Security-Token=<redacted>/);
  assert.ok(Object.values(presigned.headers).some((value) => value !== "" && !shown.includes(value)), "the SSE-C key header is redacted");

  const failures = await Promise.all([
    client.presign("GetObject", { Bucket: "b", Key: "k" }, { expiresIn: 0 }).catch((error: unknown) => error),
    client.presign("GetObject", {}).catch((error: unknown) => error),
    client.presign("Nope", {}).catch((error: unknown) => error),
    client.presign("PutObject", { Bucket: "bucket-name", Key: "k", Body: "x" }).catch((error: unknown) => error),
  ]);
  for (const error of failures) {
    assert.ok(error instanceof Error);
    const text = `${error.message}\n${error.stack}\n${inspect(error)}`;
    assert.ok(!text.includes(secret) && !text.includes(TOKEN));
  }
});

test("presign sends nothing", async () => {
  const server = await startLoopbackServer((_req, res) => {
    res.end();
  });
  await using client = new ServiceClient(s3.definition, loopbackConfig(server.url, { endpointParams: { ForcePathStyle: true } }));
  try {
    const operations: OperationSchema[] = [op(s3, "GetObject"), op(s3, "PutObject"), op(s3, "DeleteObject")];
    for (const operation of operations) await client.presign(operation, { Bucket: "bucket", Key: "k" });
    assert.equal(server.requests.length, 0);
  } finally {
    await server.close();
  }
});
