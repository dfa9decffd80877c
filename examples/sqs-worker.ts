// A queue worker: long polling (WaitTimeSeconds), each message handled then deleted, and a
// graceful stop on Ctrl-C / SIGTERM: the signal aborts the receive that is waiting (no need
// to sit out the rest of its 20 seconds), a batch already taken is finished and deleted,
// and the process exits 0.
//
//   node examples/sqs-worker.ts
//   (then send it work: aws sqs send-message --queue-url <the URL it prints> --message-body '{"job":1}')
//
// Region, credentials and endpoint come from the environment (AWS_REGION,
// AWS_ACCESS_KEY_ID…, AWS_ENDPOINT_URL_SQS for a local SQS); the queue from
// STRATUS_EXAMPLE_QUEUE (default "stratus-example-jobs"), created if it is missing; the
// batch size (messages a receive may take, 1 to 10) from STRATUS_EXAMPLE_BATCH (default 10).
import { AbortError } from "@stratus/core";
import { SQS, type Message } from "@stratus/sqs";

const QueueName = process.env["STRATUS_EXAMPLE_QUEUE"] ?? "stratus-example-jobs";
const MaxNumberOfMessages = Number(process.env["STRATUS_EXAMPLE_BATCH"] ?? 10);

const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.log(`${signal}: stopping (a batch in hand is finished first)`);
    stop.abort(signal);
  });
}

/** The work itself: here, read the JSON body and say what it was. */
async function handle(message: Message): Promise<void> {
  const job = JSON.parse(message.Body ?? "null") as unknown;
  console.log(`processed ${message.MessageId}: ${JSON.stringify(job)}`);
}

await using sqs = new SQS();
const { QueueUrl } = await sqs.createQueue({ QueueName });
if (!QueueUrl) throw new Error(`no URL for queue ${QueueName}`);
console.log(`waiting for messages on ${QueueUrl}`);

let handled = 0;
while (!stop.signal.aborted) {
  let messages: Message[];
  try {
    // The one call the stop signal aborts: a long poll waiting for work.
    const received = await sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 20, MaxNumberOfMessages }, { signal: stop.signal });
    messages = received.Messages ?? [];
  } catch (error) {
    if (error instanceof AbortError) break;
    throw error;
  }
  for (const message of messages) {
    await handle(message);
    // Not aborted by a stop: a message handled but not deleted would be handled again.
    await sqs.deleteMessage({ QueueUrl, ReceiptHandle: message.ReceiptHandle ?? "" });
    handled++;
  }
}
console.log(`stopped after ${handled} message(s)`);
