// Invoking an AWS Lambda function: a synchronous call with its result and the tail of its
// log, an asynchronous one (InvocationType "Event"), a function that throws (a 200 whose
// FunctionError says so, not an exception) and a function that does not exist (a typed
// ResourceNotFoundException).
//
//   node examples/lambda-invoke.ts [function name]      (default: STRATUS_EXAMPLE_FUNCTION, else "greet")
//
// Region, credentials and endpoint come from the environment (AWS_REGION,
// AWS_ACCESS_KEY_ID…, AWS_ENDPOINT_URL_LAMBDA for a stand-in). The function is expected to
// answer `{ name }` with `{ greeting }` and to throw without a name.
import { Lambda, ResourceNotFoundException } from "@stratus/lambda";

const FunctionName = process.argv[2] ?? process.env["STRATUS_EXAMPLE_FUNCTION"] ?? "greet";
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());

await using lambda = new Lambda();

// Synchronous: the result is the response's Payload (bytes), the log tail is base64.
const answer = await lambda.invoke({ FunctionName, Payload: JSON.stringify({ name: "Ada" }), LogType: "Tail" });
console.log(`${FunctionName}({ name: "Ada" }) → ${text(answer.Payload)} (status ${answer.StatusCode}, version ${answer.ExecutedVersion})`);
const log = Buffer.from(answer.LogResult ?? "", "base64").toString("utf8").trim().split("\n");
console.log(`log tail: ${log.join(" | ")}`);

// Asynchronous: Lambda queues the event and answers 202 at once.
const queued = await lambda.invoke({ FunctionName, InvocationType: "Event", Payload: JSON.stringify({ name: "Grace" }) });
console.log(`${FunctionName} as an event → status ${queued.StatusCode}`);

// The function threw: the call succeeds, and FunctionError holds the verdict.
const failed = await lambda.invoke({ FunctionName, Payload: "{}" });
if (failed.FunctionError) {
  const { errorMessage } = JSON.parse(text(failed.Payload)) as { errorMessage?: string };
  console.log(`${FunctionName}({}) → function error ${failed.FunctionError}: ${errorMessage}`);
}

try {
  await lambda.invoke({ FunctionName: "no-such-function", Payload: "{}" });
} catch (error) {
  if (!(error instanceof ResourceNotFoundException)) throw error;
  console.log(`no-such-function → ${error.name} (HTTP ${error.$metadata.httpStatusCode})`);
}
