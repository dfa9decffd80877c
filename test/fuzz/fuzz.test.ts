/**
 * The fuzz suite (issue #8): property-based fuzzing of every parser, and of input
 * validation through real clients. Every family runs in this one process, so that one
 * line can total them:
 *
 *   fuzz[xml]: N cases, 0 failures          one per family, as it finishes
 *   …
 *   fuzz: N cases, 0 failures               all of them, last
 *
 * A family is a module (`<family>.fuzz.ts`, not `.test.ts`: the runner would otherwise
 * start each in a process of its own and run it twice); property.ts runs its properties
 * with a fixed seed (FUZZ_SEED and FUZZ_RUNS override it and the number of cases).
 *
 *   xml            document reader, restXml / awsQuery readers, entity expansion, nesting
 *   json           text reader, awsJson / restJson1 readers, error identification, numbers
 *   cbor           decoder, smithy-rpc-v2-cbor reader, nesting, lengths, numbers
 *   query-errors   the XML protocols' error documents and request ids
 *   eventstream    frames, headers, CRCs, truncation, events of the model
 *   endpoints      the S3 and DynamoDB rule sets with random parameters
 *   arn            parseArn
 *   ini            the shared config files: reader, loader, settings
 *   validation     real clients against a loopback server: refused or sent, never both
 */
import { after } from "node:test";
import { allTallies, summaryLine, type Tally } from "./property.ts";
import "./xml.fuzz.ts";
import "./json.fuzz.ts";
import "./cbor.fuzz.ts";
import "./query-errors.fuzz.ts";
import "./eventstream.fuzz.ts";
import "./endpoints.fuzz.ts";
import "./arn.fuzz.ts";
import "./ini.fuzz.ts";
import "./validation.fuzz.ts";

after(() => {
  const total: Tally = { cases: 0, failures: 0 };
  for (const tally of allTallies().values()) {
    total.cases += tally.cases;
    total.failures += tally.failures;
  }
  console.log(summaryLine("fuzz", total));
});
