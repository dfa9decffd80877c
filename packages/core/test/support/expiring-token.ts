/**
 * The expired-session-token fixture the client tests (and the fault suite) share: a provider
 * whose n-th resolve hands out session token `token-<n>`, and a loopback JSON service that refuses `token-1`
 * as an ExpiredTokenException and answers any other call with an empty ListQueues result.
 * A client that refreshes its credentials after the refusal gets through with `token-2`.
 */
import { Credentials } from "../../src/credentials/credentials.ts";
import type { CredentialProvider } from "../../src/credentials/provider.ts";
import { sendJson, startLoopbackServer, type LoopbackServer } from "./loopback-server.ts";

export interface CountingTokenProvider extends CredentialProvider {
  /** How many times credentials were resolved: the number in the last token handed out. */
  readonly resolved: number;
}

export interface CountingTokenOptions {
  readonly name?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  /** The session token is `<tokenPrefix>-<n>`. */
  readonly tokenPrefix?: string;
}

/** Credentials valid for an hour, with a new session token on every resolve. */
export function countingTokenProvider(options: CountingTokenOptions = {}): CountingTokenProvider {
  const { name = "counting", accessKeyId = "ASIAEXAMPLE", secretAccessKey = "secret", tokenPrefix = "token" } = options;
  let resolved = 0;
  return {
    name,
    get resolved() {
      return resolved;
    },
    async resolve() {
      resolved++;
      return new Credentials({ accessKeyId, secretAccessKey, sessionToken: `${tokenPrefix}-${resolved}`, expiration: new Date(Date.now() + 3_600_000) }, name);
    },
  };
}

export function startTokenOneExpiredServer(): Promise<LoopbackServer> {
  return startLoopbackServer((req, res) => {
    if (req.headers["x-amz-security-token"] === "token-1") sendJson(res, { __type: "ExpiredTokenException", message: "expired" }, 400);
    else sendJson(res, { QueueUrls: [] });
  });
}
