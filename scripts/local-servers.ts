/**
 * Real AWS-compatible servers from npm, started on 127.0.0.1 and a free port and stopped
 * by whoever started them (an end-to-end suite, the demo): s3rver (S3), dynalite
 * (DynamoDB), kinesalite (Kinesis) and local-aws-sqs (SQS, JSON and query protocols).
 * None of them checks SigV4 signatures (the SigV4 suite covers signing).
 *
 * Every server is in memory or in a throw-away folder, and `close()` also ends kept-alive
 * connections so a suite leaves no handle behind.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);

export interface RunningServer {
  /** e.g. "http://127.0.0.1:40123" */
  readonly endpoint: string;
  close(): Promise<void>;
}

/** s3rver's only credential check: the access key id must be this (the secret is ignored). */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;
/** Any keys do for dynalite, kinesalite and local-aws-sqs. */
export const LOCAL_CREDENTIALS = { accessKeyId: "AKIDLOCALTEST", secretAccessKey: "local-test-secret" } as const;

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}

export async function startS3rver(): Promise<RunningServer> {
  const S3rver = require("s3rver") as new (options: Record<string, unknown>) => S3rverInstance;
  const directory = mkdtempSync(join(tmpdir(), "stratus-s3rver-"));
  const instance = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, resetOnClose: true });
  const { port } = await instance.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      instance.httpServer?.closeAllConnections();
      await instance.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export async function startDynalite(): Promise<RunningServer> {
  const dynalite = require("dynalite") as (options: Record<string, unknown>) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server);
  return { endpoint: `http://127.0.0.1:${port}`, close: () => stop(server) };
}

export async function startKinesalite(): Promise<RunningServer> {
  // kinesalite's CLI listens on every interface; its function form lets us bind loopback.
  const kinesalite = require("kinesalite") as (options: Record<string, unknown>) => Server;
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 50 });
  const port = await listen(server);
  return { endpoint: `http://127.0.0.1:${port}`, close: () => stop(server) };
}

export async function startSqs(): Promise<RunningServer> {
  const { createSqsServer } = require("local-aws-sqs") as {
    createSqsServer(options: { port: number; hostname: string; region?: string }): Promise<Server>;
  };
  const server = await createSqsServer({ port: 0, hostname: "127.0.0.1", region: "us-east-1" });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => stop(server) };
}
