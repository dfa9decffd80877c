/**
 * A fake EC2 instance metadata service on loopback, scripted per test: how the token PUT
 * answers (in turn, the last behaviour repeating), what the role listing and the role's
 * credentials are, and faults to inject before the GETs behave. Tokens it issues are
 * distinctive strings so tests can check exactly which request carried which token, and
 * that none of them ever reaches an error message.
 */
import type { ServerResponse } from "node:http";
import { sendJson, startLoopbackServer, type LoopbackServer, type ReceivedRequest } from "./loopback-server.ts";

/** "ok" issues a new token; "hang" never answers; a number answers with that status. */
export type TokenBehaviour = "ok" | "hang" | number;
/** A fault answered instead of the normal GET behaviour: a status or never answering. */
export type GetFault = number | "hang";

export interface FakeImdsOptions {
  readonly token?: TokenBehaviour | readonly TokenBehaviour[];
  /** Body of the role listing, or a status to answer it with. Default "test-role\n". */
  readonly roles?: string | number;
  /** JSON of the role's credentials, or a raw body, or a status. */
  readonly credentials?: Record<string, unknown> | string | number;
  /** GETs without a currently valid token get 401 (IMDSv2 only). */
  readonly requireToken?: boolean;
  /** Answered to the first GETs, one per GET, before normal behaviour. */
  readonly getFaults?: readonly GetFault[];
}

export interface FakeImds extends LoopbackServer {
  /** Tokens issued so far, in order. */
  readonly issued: string[];
  /** Short description of each request: "PUT /latest/api/token", "GET /…". */
  calls(): string[];
  /** The token header each request carried (undefined when none). */
  tokensSent(): (string | undefined)[];
}

export const IMDS_TOKEN_PREFIX = "IMDSTOKEN-secret-";

export const IMDS_GOOD_CREDENTIALS = {
  Code: "Success",
  LastUpdated: "2030-01-01T00:00:00Z",
  Type: "AWS-HMAC",
  AccessKeyId: "ASIAIMDSFAKE",
  SecretAccessKey: "SECRETKEY-imds-5d6e7f",
  Token: "SESSIONTOKEN-imds-1a2b3c",
  Expiration: "2030-01-01T06:00:00Z",
};

export async function startFakeImds(options: FakeImdsOptions = {}): Promise<FakeImds> {
  const tokenPlan = Array.isArray(options.token) ? [...options.token] : [options.token ?? "ok"];
  const faults = [...(options.getFaults ?? [])];
  const issued: string[] = [];
  const valid = new Set<string>();

  const answerToken = (res: ServerResponse): void => {
    const behaviour = tokenPlan.length > 1 ? tokenPlan.shift()! : tokenPlan[0]!;
    if (behaviour === "hang") return;
    if (behaviour !== "ok") {
      res.writeHead(behaviour);
      res.end();
      return;
    }
    const token = `${IMDS_TOKEN_PREFIX}${issued.length + 1}`;
    issued.push(token);
    valid.clear();
    valid.add(token);
    res.writeHead(200, { "content-type": "text/plain", "x-aws-ec2-metadata-token-ttl-seconds": "21600" });
    res.end(token);
  };

  const answerGet = (req: ReceivedRequest, res: ServerResponse): void => {
    if (faults.length) {
      const fault = faults.shift()!;
      if (fault === "hang") return;
      res.writeHead(fault);
      res.end();
      return;
    }
    const token = req.headers["x-aws-ec2-metadata-token"];
    if (options.requireToken && (typeof token !== "string" || !valid.has(token))) {
      res.writeHead(401);
      res.end();
      return;
    }
    const base = "/latest/meta-data/iam/security-credentials/";
    if (req.url === base) {
      const roles = options.roles ?? "test-role\n";
      if (typeof roles === "number") {
        res.writeHead(roles);
        res.end();
      } else {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(roles);
      }
      return;
    }
    if (req.url.startsWith(base)) {
      const creds = options.credentials ?? IMDS_GOOD_CREDENTIALS;
      if (typeof creds === "number") {
        res.writeHead(creds);
        res.end();
      } else if (typeof creds === "string") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(creds);
      } else {
        sendJson(res, creds);
      }
      return;
    }
    res.writeHead(404);
    res.end();
  };

  const server = await startLoopbackServer((req, res) => {
    if (req.method === "PUT" && req.url === "/latest/api/token") answerToken(res);
    else if (req.method === "GET") answerGet(req, res);
    else {
      res.writeHead(405);
      res.end();
    }
  });
  return {
    ...server,
    issued,
    calls: () => server.requests.map((r) => `${r.method} ${r.url}`),
    tokensSent: () =>
      server.requests.map((r) => {
        const value = r.headers["x-aws-ec2-metadata-token"];
        return typeof value === "string" ? value : undefined;
      }),
  };
}
