// The fault-injection suite (#8): real generated clients (DynamoDB, S3, STS, EC2) against a
// loopback server that resets, hangs, stalls, truncates, throttles, skews its clock and
// expires tokens, on the Node handler (undici) and, for the scenarios that name them, on
// its node:http engine and on the fetch handler. Each scenario checks its outcome against
// botocore's (and says where Stratus departs from it), then the harness checks that nothing
// leaked (harness.ts). All in one file, so that one process can count them: the last line
// it prints is the suite's summary.
import { after } from "node:test";
import { printSummary } from "./tally.ts";
import { authScenarios } from "./scenarios/auth.ts";
import { connectionScenarios } from "./scenarios/connection.ts";
import { lifecycleScenarios } from "./scenarios/lifecycle.ts";
import { statusScenarios } from "./scenarios/status.ts";
import { timeoutScenarios } from "./scenarios/timeouts.ts";
import { uploadScenarios } from "./scenarios/uploads.ts";

statusScenarios();
connectionScenarios();
timeoutScenarios();
authScenarios();
uploadScenarios();
lifecycleScenarios();

after(printSummary);
