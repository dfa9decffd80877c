// A chat answer from Amazon Bedrock as it is generated: ConverseStream's response is an
// async iterable of typed events (messageStart, contentBlockDelta…, messageStop, metadata),
// decoded from the event-stream framing as the bytes arrive. Text is printed as it comes;
// an error the model raises mid-answer is thrown as its class.
//
//   node examples/bedrock-converse-stream.ts "Say hello" [model id]
//
// Region, credentials and endpoint come from the environment (AWS_REGION,
// AWS_ACCESS_KEY_ID…, AWS_ENDPOINT_URL_BEDROCK_RUNTIME for a stand-in); the model id
// defaults to STRATUS_EXAMPLE_MODEL_ID, else Amazon Nova Micro.
import { BedrockRuntime, ModelStreamErrorException } from "@stratus/bedrock-runtime";

const prompt = process.argv[2] ?? "Say hello";
const modelId = process.argv[3] ?? process.env["STRATUS_EXAMPLE_MODEL_ID"] ?? "amazon.nova-micro-v1:0";

await using bedrock = new BedrockRuntime();
const response = await bedrock.converseStream({
  modelId,
  messages: [{ role: "user", content: [{ text: prompt }] }],
  inferenceConfig: { maxTokens: 256 },
});

try {
  // `await using`: should the loop stop early, the rest of the stream is released.
  await using stream = response.stream;
  for await (const event of stream ?? []) {
    if (event.contentBlockDelta?.delta.text) process.stdout.write(event.contentBlockDelta.delta.text);
    if (event.messageStop) process.stdout.write(`\n[stop: ${event.messageStop.stopReason}]\n`);
    if (event.metadata) console.log(`[tokens: ${event.metadata.usage.inputTokens} in, ${event.metadata.usage.outputTokens} out; ${event.metadata.metrics.latencyMs} ms]`);
  }
} catch (error) {
  if (!(error instanceof ModelStreamErrorException)) throw error;
  console.error(`\nthe model stopped mid-answer: ${error.message}`);
  process.exitCode = 1;
}
