/**
 * Fake IAM Identity Center endpoints on loopback: the SSO portal (GetRoleCredentials) and
 * SSO-OIDC (CreateToken), each its own server so tests can see which call went where. They
 * answer what the test scripts and record every request; `env` points
 * AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC at them.
 */
import type { ServerResponse } from "node:http";
import { sendJson, startLoopbackServer, type LoopbackServer } from "./loopback-server.ts";

export interface FakeAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface FakeSsoOptions {
  /** GetRoleCredentials answer; default a 200 with SSO_ROLE_CREDENTIALS. */
  readonly portal?: FakeAnswer;
  /** CreateToken answer; default a 200 with a new access and refresh token. */
  readonly oidc?: FakeAnswer;
}

export interface FakeSso {
  readonly portal: LoopbackServer;
  readonly oidc: LoopbackServer;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export const SSO_ROLE_CREDENTIALS = {
  roleCredentials: {
    accessKeyId: "ASIASSOFAKE",
    secretAccessKey: "SECRETKEY-sso-9f8e7d",
    sessionToken: "SESSIONTOKEN-sso-6c5b4a",
    expiration: Date.parse("2030-01-01T12:00:00Z"),
  },
};

export const OIDC_NEW_TOKEN = {
  accessToken: "ACCESSTOKEN-sso-new-44gg",
  refreshToken: "REFRESHTOKEN-sso-new-55hh",
  expiresIn: 28800,
  tokenType: "Bearer",
};

export async function startFakeSso(options: FakeSsoOptions = {}): Promise<FakeSso> {
  const answer = (fake: FakeAnswer) => (_req: unknown, res: ServerResponse): void => {
    if (fake.headers) for (const [name, value] of Object.entries(fake.headers)) res.setHeader(name, value);
    if (typeof fake.body === "string") {
      res.writeHead(fake.status);
      res.end(fake.body);
    } else sendJson(res, fake.body, fake.status);
  };
  const portal = await startLoopbackServer(answer(options.portal ?? { status: 200, body: SSO_ROLE_CREDENTIALS }));
  const oidc = await startLoopbackServer(answer(options.oidc ?? { status: 200, body: OIDC_NEW_TOKEN }));
  return {
    portal,
    oidc,
    env: { AWS_ENDPOINT_URL_SSO: portal.url, AWS_ENDPOINT_URL_SSO_OIDC: oidc.url },
    close: async () => {
      await Promise.all([portal.close(), oidc.close()]);
    },
  };
}
