/**
 * A fake STS on loopback, for the credential providers' tests: it parses the form body of
 * each awsQuery call, records it, and answers with XML shaped like the real service's,
 * either credentials or an `<ErrorResponse>`, as the test's `reply` function decides.
 *
 * Like the real STS it refuses an unsigned `AssumeRole` (MissingAuthenticationToken) and a
 * malformed Authorization header (IncompleteSignature) before the test's function is
 * asked. It cannot check the signature itself (it does not know the secret); tests that
 * care recompute it with the signer from the recorded request (`signingInputOf`).
 *
 * Point providers at it with `env` (`AWS_ENDPOINT_URL_STS`), and `close()` it in the test.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { HttpRequest } from "../../src/http/http-request.ts";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server.ts";

export interface StsCall {
  readonly action: string;
  /** The form fields, decoded (Action and Version included). */
  readonly params: Readonly<Record<string, string>>;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The parsed Authorization header, if the request was signed. */
  readonly authorization?: ParsedAuthorization | undefined;
}

export interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

export interface FakeCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export type StsReply =
  | { readonly credentials: FakeCredentials; readonly assumedRoleArn?: string }
  | {
      readonly error: {
        readonly code: string;
        readonly message: string;
        readonly status?: number;
        readonly type?: "Sender" | "Receiver";
        readonly requestId?: string;
      };
    }
  | { readonly raw: { readonly status: number; readonly body: string; readonly contentType?: string } };

export interface FakeSts {
  readonly url: string;
  readonly calls: StsCall[];
  /** `{ AWS_ENDPOINT_URL_STS: url }`, to spread into a provider's env. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function startFakeSts(reply: (call: StsCall) => StsReply | Promise<StsReply>): Promise<FakeSts> {
  const calls: StsCall[] = [];
  let requestCounter = 0;
  const server: LoopbackServer = await startLoopbackServer(async (req, res) => {
    const params = Object.fromEntries(new URLSearchParams(req.body));
    const header = req.headers.authorization;
    const call: StsCall = {
      action: params.Action ?? "",
      params,
      path: req.url,
      headers: req.headers,
      body: req.body,
      authorization: typeof header === "string" ? parseAuthorization(header) : undefined,
    };
    calls.push(call);
    const requestId = `fake-req-${++requestCounter}`;
    const send = (status: number, body: string, contentType = "text/xml"): void => {
      res.writeHead(status, { "content-type": contentType, "x-amzn-requestid": requestId });
      res.end(body);
    };
    if (req.method !== "POST") return send(405, errorXml("Sender", "InvalidAction", "POST only", requestId));
    if (call.action === "AssumeRole" && header === undefined) {
      return send(403, errorXml("Sender", "MissingAuthenticationToken", "Request is missing Authentication Token", requestId));
    }
    if (header !== undefined && call.authorization === undefined) {
      return send(403, errorXml("Sender", "IncompleteSignature", "Authorization header is malformed", requestId));
    }
    const answer = await reply(call);
    if ("raw" in answer) return send(answer.raw.status, answer.raw.body, answer.raw.contentType);
    if ("error" in answer) {
      const e = answer.error;
      return send(e.status ?? 400, errorXml(e.type ?? "Sender", e.code, e.message, e.requestId ?? requestId));
    }
    send(200, credentialsXml(call.action, answer.credentials, answer.assumedRoleArn, requestId));
  });
  return {
    url: server.url,
    calls,
    env: { AWS_ENDPOINT_URL_STS: server.url },
    close: () => server.close(),
  };
}

/**
 * The request as the client must have signed it, rebuilt from what arrived: the signed
 * headers only (minus Authorization), the body, and the signing date from X-Amz-Date, so a
 * test can run the signer again and compare signatures.
 */
export function signingInputOf(call: StsCall, serverUrl: string): { request: HttpRequest; signingDate: Date } {
  const url = new URL(serverUrl);
  const signed = new Set(call.authorization?.signedHeaders ?? []);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.headers)) {
    if (signed.has(name) && typeof value === "string") headers[name] = value;
  }
  const amzDate = String(call.headers["x-amz-date"] ?? "");
  const iso = amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z");
  return {
    request: {
      method: "POST",
      protocol: url.protocol === "https:" ? "https:" : "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: call.path,
      query: [],
      headers,
      body: call.body,
    },
    signingDate: new Date(iso),
  };
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request, SignedHeaders=a;b, Signature=hex` */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(header);
  if (!match) return undefined;
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string, string];
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(";"), signature };
}

export function credentialsXml(
  action: string,
  credentials: FakeCredentials,
  assumedRoleArn = "arn:aws:sts::123456789012:assumed-role/fake-role/fake-session",
  requestId = "fake-req",
): string {
  const extra = action === "AssumeRoleWithWebIdentity"
    ? "<SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken><Audience>sts.amazonaws.com</Audience><Provider>oidc.example.com</Provider>"
    : "";
  return `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <${action}Result>
    ${extra}
    <AssumedRoleUser>
      <Arn>${escapeXml(assumedRoleArn)}</Arn>
      <AssumedRoleId>AROAFAKEROLEID:fake-session</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${escapeXml(credentials.accessKeyId)}</AccessKeyId>
      <SecretAccessKey>${escapeXml(credentials.secretAccessKey)}</SecretAccessKey>
      <SessionToken>${escapeXml(credentials.sessionToken)}</SessionToken>
      <Expiration>${credentials.expiration.toISOString()}</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </${action}Result>
  <ResponseMetadata>
    <RequestId>${escapeXml(requestId)}</RequestId>
  </ResponseMetadata>
</${action}Response>
`;
}

export function errorXml(type: string, code: string, message: string, requestId: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>${escapeXml(type)}</Type>
    <Code>${escapeXml(code)}</Code>
    <Message>${escapeXml(message)}</Message>
  </Error>
  <RequestId>${escapeXml(requestId)}</RequestId>
</ErrorResponse>
`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}
