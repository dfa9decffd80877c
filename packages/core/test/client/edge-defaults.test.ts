/**
 * The browser and Worker build's defaults (the `#default-transport` and
 * `#default-credential-chain` imports under the `browser`, `worker` and `workerd`
 * conditions), run here on Node by importing the edge modules themselves: the same exports
 * as the Node build's, fetch as the transport, and a chain of explicit keys and the
 * environment that never reads the shared files. test/edge/workerd.test.ts bundles them
 * the way a Worker build does and runs them in workerd.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as edgeTransport from "../../src/client/transport.edge.ts";
import * as nodeTransport from "../../src/client/transport.ts";
import * as edgeChain from "../../src/credentials/default-chain.edge.ts";
import * as nodeChain from "../../src/credentials/default-chain.ts";
import { CredentialsError, CredentialsProviderError } from "../../src/errors/index.ts";

describe("the browser and Worker build's defaults", () => {
  it("export what the Node build's do", () => {
    assert.deepEqual(Object.keys(edgeTransport).sort(), Object.keys(nodeTransport).sort());
    assert.deepEqual(Object.keys(edgeChain).sort(), Object.keys(nodeChain).sort());
  });

  describe("transport", () => {
    let server: ReturnType<typeof createServer>;
    let port: number;
    before(async () => {
      server = createServer((request, response) => response.end(`${request.method} ${request.url}`));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("is fetch, even on Node.js", async () => {
      assert.equal(await edgeTransport.defaultTransport(), "fetch");
      const handler = edgeTransport.createDefaultHttpHandler({ requestTimeout: 5_000 });
      assert.equal(await handler.transport(), "fetch");
      assert.equal(handler.stats, undefined, "fetch keeps no pool of its own to report");
      const response = await handler.handle({ method: "GET", protocol: "http:", hostname: "127.0.0.1", port, path: "/edge", query: [], headers: {} }, {});
      assert.equal(response.statusCode, 200);
      assert.equal(new TextDecoder().decode(await response.body.bytes()), "GET /edge");
      await handler.destroy?.();
    });
  });

  describe("credential chain", () => {
    let home: string;
    let env: Record<string, string>;
    before(() => {
      // A credentials file with keys that the Node chain would find: the edge chain must not.
      home = mkdtempSync(join(tmpdir(), "stratus-edge-chain-"));
      writeFileSync(join(home, "credentials"), "[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = file-secret\n");
      env = { AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"), AWS_CONFIG_FILE: join(home, "config") };
    });
    after(() => rmSync(home, { recursive: true, force: true }));

    it("takes keys from code first, then the environment", async () => {
      const fromCode = await edgeChain.defaultCredentialChain({ env: { ...env, AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret" }, credentials: { accessKeyId: "AKIDCODE", secretAccessKey: "code-secret" } }).resolve();
      assert.equal(fromCode.accessKeyId, "AKIDCODE");
      const fromEnv = await edgeChain.defaultCredentialProvider({ env: { ...env, AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret", AWS_SESSION_TOKEN: "env-token" } }).resolve();
      assert.equal(fromEnv.accessKeyId, "AKIDENV");
      assert.equal(fromEnv.sessionToken, "env-token");
      assert.equal(fromEnv.source, "environment");
    });

    it("reads no shared file, and says to pass credentials when it has none", async () => {
      // The Node chain finds the file's keys; the edge chain does not look.
      assert.equal((await nodeChain.defaultCredentialChain({ env, homeDir: home }).resolve()).accessKeyId, "AKIDFROMFILE");
      await assert.rejects(edgeChain.defaultCredentialChain({ env, homeDir: home }).resolve(), (error: unknown) => {
        assert.ok(error instanceof CredentialsProviderError);
        assert.deepEqual(error.attempts.map((attempt) => attempt.provider), ["environment", "browser and Worker build"]);
        assert.match(error.message, /pass `credentials` \(keys or a provider\) to the client or Session/);
        assert.doesNotMatch(error.message, /AKIDFROMFILE|file-secret/);
        return true;
      });
    });

    it("leaves the environment out when a profile is named, as the Node chain does", async () => {
      const chain = edgeChain.defaultCredentialChain({ profile: "dev", env: { ...env, AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret" } });
      await assert.rejects(chain.resolve(), (error: unknown) => {
        assert.ok(error instanceof CredentialsProviderError);
        assert.deepEqual(error.attempts.map((attempt) => attempt.provider), ["browser and Worker build"]);
        return true;
      });
    });

    it("refuses half-filled keys from code where they are written", () => {
      assert.throws(() => edgeChain.defaultCredentialChain({ env, credentials: { accessKeyId: "AKID", secretAccessKey: "" } }), CredentialsError);
    });
  });
});
