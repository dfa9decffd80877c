// The Node handler's tests again, with node:http as the engine: what a bundle shipped
// without node_modules runs on (see http/load-undici.ts).
process.env["STRATUS_TEST_NODE_ENGINE"] = "node:http";
await import("./node-handler.test.ts");
