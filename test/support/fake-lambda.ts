/**
 * A fake AWS Lambda on loopback that answers Invoke (POST
 * /2015-03-31/functions/{name}/invocations) as the real service does: the function's
 * result as the raw body, `X-Amz-Function-Error` when the function threw (still a 200),
 * the last log lines base64 in `X-Amz-Log-Result` when asked with `X-Amz-Log-Type: Tail`,
 * 202 and no body for `InvocationType: Event`, and a 404 ResourceNotFoundException for a
 * function it does not have. No local Lambda peer is on npm, hence this stand-in.
 *
 * Its one function, "greet", answers `{ name }` with `{ greeting: "Hello, <name>!" }` and
 * throws ("name is required") without one.
 */
import { startLoopbackServer, type LoopbackServer } from "../../packages/core/test/support/loopback-server.ts";

export interface FakeLambda {
  readonly endpoint: string;
  /** Every invocation: function name, invocation type and payload as received. */
  readonly invocations: Array<{ readonly functionName: string; readonly type: string; readonly payload: string }>;
  close(): Promise<void>;
}

export async function startFakeLambda(): Promise<FakeLambda> {
  const invocations: Array<{ functionName: string; type: string; payload: string }> = [];
  let requests = 0;
  const server: LoopbackServer = await startLoopbackServer((req, res) => {
    const requestId = `fake-lambda-${++requests}`;
    const name = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url)?.[1];
    const functionName = decodeURIComponent(name ?? "");
    const type = String(req.headers["x-amz-invocation-type"] ?? "RequestResponse");
    if (req.method !== "POST" || functionName !== "greet") {
      res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException", "x-amzn-requestid": requestId });
      res.end(JSON.stringify({ Type: "User", Message: `Function not found: arn:aws:lambda:us-east-1:123456789012:function:${functionName}` }));
      return;
    }
    invocations.push({ functionName, type, payload: req.body });
    if (type === "Event") {
      res.writeHead(202, { "x-amzn-requestid": requestId });
      res.end();
      return;
    }
    const input = JSON.parse(req.body || "{}") as { name?: unknown };
    const failed = typeof input.name !== "string";
    const result = failed ? { errorType: "Error", errorMessage: "name is required" } : { greeting: `Hello, ${input.name}!` };
    const headers: Record<string, string> = { "content-type": "application/json", "x-amzn-requestid": requestId, "x-amz-executed-version": "$LATEST" };
    if (failed) headers["x-amz-function-error"] = "Unhandled";
    if (req.headers["x-amz-log-type"] === "Tail") {
      const log = `START RequestId: ${requestId} Version: $LATEST\n${failed ? "ERROR name is required" : `INFO greeting ${String(input.name)}`}\nEND RequestId: ${requestId}\n`;
      headers["x-amz-log-result"] = Buffer.from(log).toString("base64");
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify(result));
  });
  return { endpoint: server.url, invocations, close: () => server.close() };
}
