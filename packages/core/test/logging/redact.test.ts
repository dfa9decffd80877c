// The redaction rules of the wire log, one by one: the Authorization header, every
// secret-bearing header, a presigned URL's query, user info in a URL, JSON/XML/form bodies
// (an STS AssumeRole answer carrying Credentials among them), free text quoting SigV4
// material, and the cut of a long body.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Credentials } from "../../src/credentials/credentials.ts";
import { presignRequest } from "../../src/signing/sigv4.ts";
import { requestUrl, type HttpRequest } from "../../src/http/http-request.ts";
import {
  isSecretName,
  MAX_BODY_CHARS,
  REDACTED,
  redactAuthorization,
  redactBodyText,
  redactHeaders,
  redactJsonValue,
  redactUrl,
} from "../../src/logging/redact.ts";
import { credentialsXml } from "../support/fake-sts.ts";

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0123456789abcdef";
const SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

test("Authorization keeps its scheme only: SigV4's algorithm and Credential=<redacted>, any other scheme then <redacted>", () => {
  const sigv4 = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${SIGNATURE}`;
  assert.equal(redactAuthorization(sigv4), "AWS4-HMAC-SHA256 Credential=<redacted>");
  assert.equal(redactAuthorization(`Bearer ${TOKEN}`), "Bearer <redacted>");
  assert.equal(redactAuthorization(TOKEN), REDACTED);
  assert.equal(redactAuthorization(""), REDACTED);
});

test("headers: credentials, tokens, cookies and SSE-C keys redacted; the rest shown as it is", () => {
  const headers = {
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${SIGNATURE}`,
    "Proxy-Authorization": `Basic ${TOKEN}`,
    "x-amz-security-token": TOKEN,
    cookie: `session=${TOKEN}`,
    "set-cookie": `AWSALB=${TOKEN}; Path=/`,
    "x-amz-server-side-encryption-customer-key": SECRET,
    "x-amz-copy-source-server-side-encryption-customer-key": SECRET,
    "x-amz-sso_bearer_token": TOKEN,
    "x-aws-ec2-metadata-token": TOKEN,
    "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "x-amz-date": "20150830T123600Z",
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": "DynamoDB_20120810.GetItem",
  };
  assert.deepEqual(redactHeaders(headers), {
    authorization: "AWS4-HMAC-SHA256 Credential=<redacted>",
    "Proxy-Authorization": "Basic <redacted>",
    "x-amz-security-token": REDACTED,
    cookie: REDACTED,
    "set-cookie": REDACTED,
    "x-amz-server-side-encryption-customer-key": REDACTED,
    "x-amz-copy-source-server-side-encryption-customer-key": REDACTED,
    "x-amz-sso_bearer_token": REDACTED,
    "x-aws-ec2-metadata-token": REDACTED,
    "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "x-amz-date": "20150830T123600Z",
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": "DynamoDB_20120810.GetItem",
  });
});

test("a presigned URL keeps its algorithm, date, expiry and signed headers; credential, token and signature are redacted", () => {
  const request: HttpRequest = {
    method: "GET",
    protocol: "https:",
    hostname: "examplebucket.s3.amazonaws.com",
    path: "/photos/cat%20pic.jpg",
    query: [["versionId", "3"]],
    headers: {},
  };
  const presigned = presignRequest(request, {
    credentials: new Credentials({ accessKeyId: "ASIAEXAMPLEKEYID", secretAccessKey: SECRET, sessionToken: TOKEN }, "test"),
    region: "us-east-1",
    service: "s3",
    signingDate: new Date("2013-05-24T00:00:00Z"),
    expiresIn: 86_400,
  });
  const url = requestUrl(presigned.request);
  const signature = presigned.request.query.find(([name]) => name === "X-Amz-Signature")?.[1] ?? "";
  assert.match(signature, /^[0-9a-f]{64}$/);
  assert.ok(url.includes(signature) && url.includes("ASIAEXAMPLEKEYID"), "the unredacted URL carries the secrets (the test can fail)");

  const shown = redactUrl(url);
  for (const secret of [signature, "ASIAEXAMPLEKEYID", encodeURIComponent(TOKEN), TOKEN]) assert.ok(!shown.includes(secret), shown);
  const params = new Map(shown.split("?")[1]?.split("&").map((pair) => pair.split("=") as [string, string]));
  assert.equal(params.get("X-Amz-Credential"), REDACTED);
  assert.equal(params.get("X-Amz-Signature"), REDACTED);
  assert.equal(params.get("X-Amz-Security-Token"), REDACTED);
  assert.equal(params.get("X-Amz-Algorithm"), "AWS4-HMAC-SHA256");
  assert.equal(params.get("X-Amz-Date"), "20130524T000000Z");
  assert.equal(params.get("X-Amz-Expires"), "86400");
  assert.equal(params.get("X-Amz-SignedHeaders"), "host");
  assert.equal(params.get("versionId"), "3");
  assert.ok(shown.startsWith("https://examplebucket.s3.amazonaws.com/photos/cat%20pic.jpg?"));
});

test("a URL: encoded secret names, user-info passwords and fragments; other parts byte for byte", () => {
  assert.equal(redactUrl("https://h/p?X%2DAmz%2DSignature=abc&a=%2F"), `https://h/p?X%2DAmz%2DSignature=${REDACTED}&a=%2F`);
  assert.equal(redactUrl("http://user:hunter2@proxy:8080/x"), `http://user:${REDACTED}@proxy:8080/x`);
  assert.equal(redactUrl(new URL("https://h/p?token=t0k3n#frag")), `https://h/p?token=${REDACTED}`);
  assert.equal(redactUrl("https://h/p?list-type=2&prefix=a%2Fb&flag"), "https://h/p?list-type=2&prefix=a%2Fb&flag");
  assert.equal(redactUrl("https://h/"), "https://h/");
});

test("the secret-name rule: eager for anything credential-like, quiet for ordinary names", () => {
  for (const name of ["SecretAccessKey", "SessionToken", "Password", "Token", "NextToken", "X-Amz-Credential", "Credentials",
    "client_secret", "refreshToken", "x-api-key", "PrivateKey", "Plaintext", "SignatureProvided", "CanonicalRequest"]) {
    assert.ok(isSecretName(name), name);
  }
  for (const name of ["AccessKeyId", "RoleSessionName", "DurationSeconds", "Bucket", "Key", "TableName", "x-amz-content-sha256", "content-length", "Expiration", "Arn"]) {
    assert.ok(!isSecretName(name), name);
  }
});

test("a JSON body: secret-named keys lose their whole value at any depth; other members stay", () => {
  const sso = {
    roleCredentials: { accessKeyId: "ASIAEXAMPLE", secretAccessKey: SECRET, sessionToken: TOKEN, expiration: 1 },
  };
  const body = {
    Credentials: { AccessKeyId: "ASIAEXAMPLE", SecretAccessKey: SECRET, SessionToken: TOKEN },
    nested: [{ Password: "hunter2", Name: "n" }, { client_secret: "x" }],
    NextToken: null,
    TableName: "t",
    ...sso,
  };
  const shown = redactBodyText(JSON.stringify(body), "application/x-amz-json-1.1");
  assert.deepEqual(JSON.parse(shown), {
    Credentials: REDACTED,
    nested: [{ Password: REDACTED, Name: "n" }, { client_secret: REDACTED }],
    NextToken: null,
    TableName: "t",
    roleCredentials: REDACTED,
  });
  assert.deepEqual(redactJsonValue({ a: [{ SessionToken: TOKEN }] }), { a: [{ SessionToken: REDACTED }] });
  // Text that claims to be JSON and is not: not shown at all.
  assert.equal(redactBodyText(`{"SecretAccessKey": "${SECRET}"`, "application/json"), `<${SECRET.length + 22} characters that are not JSON>`);
});

test("an STS AssumeRole answer (XML): the Credentials element is redacted whole; the role and request id stay", () => {
  const xml = credentialsXml(
    "AssumeRole",
    { accessKeyId: "ASIAFAKEASSUMED", secretAccessKey: SECRET, sessionToken: TOKEN, expiration: new Date("2030-01-01T00:00:00Z") },
    "arn:aws:sts::123456789012:assumed-role/r/s",
    "req-42",
  );
  assert.ok(xml.includes(SECRET), "the fake answer carries the secret (the test can fail)");
  const shown = redactBodyText(xml, "text/xml");
  for (const secret of [SECRET, TOKEN, "ASIAFAKEASSUMED"]) assert.ok(!shown.includes(secret), shown);
  assert.match(shown, /<Credentials><redacted><\/Credentials>/);
  assert.match(shown, /<Arn>arn:aws:sts::123456789012:assumed-role\/r\/s<\/Arn>/);
  assert.match(shown, /<RequestId>req-42<\/RequestId>/);
  assert.match(shown, /<PackedPolicySize>6<\/PackedPolicySize>/);
});

test("XML: namespaced and attributed secret elements, self-closing ones, and an element never closed", () => {
  assert.equal(
    redactBodyText(`<a:Root><a:SessionToken x="1">${TOKEN}</a:SessionToken><Empty/><SecretString/><Key>k</Key></a:Root>`, "application/xml"),
    `<a:Root><a:SessionToken x="1">${REDACTED}</a:SessionToken><Empty/><SecretString/><Key>k</Key></a:Root>`,
  );
  // The closing tag is the element's own, not a longer name that starts the same way.
  assert.equal(
    redactBodyText(`<Token><TokenType>a</TokenType>${TOKEN}</Token><Next>n</Next>`, "text/xml"),
    `<Token>${REDACTED}</Token><Next>n</Next>`,
  );
  const unclosed = redactBodyText(`<Error><Code>x</Code><SignatureProvided>${SIGNATURE}`, "application/xml");
  assert.equal(unclosed, `<Error><Code>x</Code><SignatureProvided>${REDACTED}`);
  // S3's SignatureDoesNotMatch echoes the canonical request, which holds the session token.
  const s3 = `<Error><Code>SignatureDoesNotMatch</Code><CanonicalRequest>GET\n/\n\nx-amz-security-token:${TOKEN}\n</CanonicalRequest><SignatureProvided>${SIGNATURE}</SignatureProvided></Error>`;
  const shown = redactBodyText(s3, "application/xml");
  assert.ok(!shown.includes(TOKEN) && !shown.includes(SIGNATURE), shown);
  assert.match(shown, /<Code>SignatureDoesNotMatch<\/Code>/);
});

test("a form body (Query protocol): secret-named fields redacted", () => {
  const form = `Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&WebIdentityToken=${TOKEN}&TokenCode=123456`;
  assert.equal(
    redactBodyText(form, "application/x-www-form-urlencoded; charset=utf-8"),
    `Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&WebIdentityToken=${REDACTED}&TokenCode=${REDACTED}`,
  );
});

test("free text quoting SigV4 material is scrubbed; a long body is cut and counted", () => {
  const text = `failed: https://h/k?X-Amz-Credential=AKID%2F2013&X-Amz-Signature=${SIGNATURE} and Credential=AKID/2013/us-east-1/s3/aws4_request, Signature=${SIGNATURE}`;
  const shown = redactBodyText(text, "text/plain");
  assert.ok(!shown.includes(SIGNATURE) && !shown.includes("AKID"), shown);
  const long = "x".repeat(MAX_BODY_CHARS + 10);
  assert.equal(redactBodyText(long, "text/plain"), `${"x".repeat(MAX_BODY_CHARS)}… (10 more characters)`);
});
