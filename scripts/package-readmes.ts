// Writes packages/<service>/README.md for every generated service package, from its
// manifest, its generated client (class name, paginators, waiters) and the three calls
// below, so the service READMEs stay alike. core, s3 and dynamodb have hand-written ones.
//
//   node scripts/package-readmes.ts           write them
//   node scripts/package-readmes.ts --check   exit 1 if any is out of date
//
// test/docs/package-readmes.test.ts checks they are up to date and that every snippet in
// every package README type-checks.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const PACKAGES = join(ROOT, "packages");

/** Packages whose README is written by hand. */
export const HAND_WRITTEN = new Set(["core", "s3", "dynamodb"]);

/** Each service's three most common calls: the method and the input, as TypeScript. */
const COMMON_CALLS: Readonly<Record<string, readonly (readonly [method: string, input: string])[]>> = {
  "bedrock-runtime": [
    ["converse", '{ modelId: "amazon.nova-micro-v1:0", messages: [{ role: "user", content: [{ text: "Hello" }] }] }'],
    ["converseStream", '{ modelId: "amazon.nova-micro-v1:0", messages: [{ role: "user", content: [{ text: "Hello" }] }] }'],
    ["invokeModel", '{ modelId: "amazon.titan-embed-text-v2:0", contentType: "application/json", body: JSON.stringify({ inputText: "Hello" }) }'],
  ],
  cloudwatch: [
    ["putMetricData", '{ Namespace: "MyApp", MetricData: [{ MetricName: "Orders", Value: 1, Unit: "Count" }] }'],
    ["getMetricStatistics", '{ Namespace: "MyApp", MetricName: "Orders", StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(), Period: 300, Statistics: ["Sum"] }'],
    ["describeAlarms", '{ StateValue: "ALARM" }'],
  ],
  ec2: [
    ["describeInstances", '{ Filters: [{ Name: "instance-state-name", Values: ["running"] }] }'],
    ["runInstances", '{ ImageId: "ami-0123456789abcdef0", InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }'],
    ["terminateInstances", '{ InstanceIds: ["i-0123456789abcdef0"] }'],
  ],
  ecr: [
    ["getAuthorizationToken", "{}"],
    ["describeRepositories", '{ repositoryNames: ["my-app"] }'],
    ["listImages", '{ repositoryName: "my-app" }'],
  ],
  events: [
    ["putEvents", '{ Entries: [{ Source: "my.app", DetailType: "OrderPlaced", Detail: JSON.stringify({ id: 1 }) }] }'],
    ["putRule", '{ Name: "orders", EventPattern: JSON.stringify({ source: ["my.app"] }) }'],
    ["listRules", '{ NamePrefix: "orders" }'],
  ],
  iam: [
    ["getUser", "{}"],
    ["listRoles", '{ PathPrefix: "/" }'],
    ["createRole", '{ RoleName: "reader", AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) }'],
  ],
  kinesis: [
    ["putRecord", '{ StreamName: "events", PartitionKey: "user-1", Data: new TextEncoder().encode("hello") }'],
    ["getShardIterator", '{ StreamName: "events", ShardId: "shardId-000000000000", ShardIteratorType: "TRIM_HORIZON" }'],
    ["listShards", '{ StreamName: "events" }'],
  ],
  kms: [
    ["encrypt", '{ KeyId: "alias/my-key", Plaintext: new TextEncoder().encode("secret") }'],
    ["decrypt", "{ CiphertextBlob: new Uint8Array(/* from encrypt */) }"],
    ["generateDataKey", '{ KeyId: "alias/my-key", KeySpec: "AES_256" }'],
  ],
  lambda: [
    ["invoke", '{ FunctionName: "my-function", Payload: JSON.stringify({ name: "Ada" }) }'],
    ["listFunctions", "{}"],
    ["getFunction", '{ FunctionName: "my-function" }'],
  ],
  logs: [
    ["putLogEvents", '{ logGroupName: "/my-app", logStreamName: "web-1", logEvents: [{ timestamp: Date.now(), message: "started" }] }'],
    ["filterLogEvents", '{ logGroupName: "/my-app", filterPattern: "ERROR" }'],
    ["createLogStream", '{ logGroupName: "/my-app", logStreamName: "web-1" }'],
  ],
  secretsmanager: [
    ["getSecretValue", '{ SecretId: "prod/db-password" }'],
    ["createSecret", '{ Name: "prod/db-password", SecretString: "change me" }'],
    ["putSecretValue", '{ SecretId: "prod/db-password", SecretString: "changed" }'],
  ],
  sns: [
    ["publish", '{ TopicArn: "arn:aws:sns:eu-west-1:123456789012:orders", Message: "hello" }'],
    ["createTopic", '{ Name: "orders" }'],
    ["subscribe", '{ TopicArn: "arn:aws:sns:eu-west-1:123456789012:orders", Protocol: "sqs", Endpoint: "arn:aws:sqs:eu-west-1:123456789012:jobs" }'],
  ],
  sqs: [
    ["sendMessage", '{ QueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", MessageBody: JSON.stringify({ job: 1 }) }'],
    ["receiveMessage", '{ QueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }'],
    ["deleteMessage", '{ QueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", ReceiptHandle: "…" }'],
  ],
  ssm: [
    ["getParameter", '{ Name: "/my-app/db-url", WithDecryption: true }'],
    ["putParameter", '{ Name: "/my-app/db-url", Value: "postgres://…", Type: "SecureString", Overwrite: true }'],
    ["getParametersByPath", '{ Path: "/my-app/", Recursive: true }'],
  ],
  sso: [
    ["listAccounts", '{ accessToken: "…" }'],
    ["listAccountRoles", '{ accessToken: "…", accountId: "123456789012" }'],
    ["getRoleCredentials", '{ accessToken: "…", accountId: "123456789012", roleName: "ReadOnly" }'],
  ],
  "sso-oidc": [
    ["registerClient", '{ clientName: "my-cli", clientType: "public" }'],
    ["startDeviceAuthorization", '{ clientId: "…", clientSecret: "…", startUrl: "https://my-org.awsapps.com/start" }'],
    ["createToken", '{ clientId: "…", clientSecret: "…", grantType: "urn:ietf:params:oauth:grant-type:device_code", deviceCode: "…" }'],
  ],
  sts: [
    ["getCallerIdentity", "{}"],
    ["assumeRole", '{ RoleArn: "arn:aws:iam::123456789012:role/reader", RoleSessionName: "my-app" }'],
    ["getSessionToken", "{ DurationSeconds: 3600 }"],
  ],
};

interface Manifest {
  readonly name: string;
  readonly description: string;
}

/** Every generated service package's folder name, but the hand-written ones. */
export function servicePackages(): string[] {
  return readdirSync(PACKAGES)
    .filter((name) => existsSync(join(PACKAGES, name, "src", "generated", "client.ts")) && !HAND_WRITTEN.has(name))
    .sort();
}

/** The README for `packages/<name>`, as this script writes it. */
export function serviceReadme(name: string): string {
  const manifest = JSON.parse(readFileSync(join(PACKAGES, name, "package.json"), "utf8")) as Manifest;
  const client = readFileSync(join(PACKAGES, name, "src", "generated", "client.ts"), "utf8");
  const className = /^export class (\w+) extends ServiceClient/m.exec(client)?.[1];
  const calls = COMMON_CALLS[name];
  if (!className) throw new Error(`packages/${name}: no client class in src/generated/client.ts`);
  if (!calls) throw new Error(`packages/${name}: no common calls listed in scripts/package-readmes.ts`);
  const variable = variableName(className);
  const paginators = memberNames(client, "paginate");
  const waiters = memberNames(client, "waitUntil");
  const api = /\(API version ([\d-]+)\)/.exec(manifest.description)?.[1];

  const lines = [
    `# ${manifest.name}`,
    "",
    `The ${className} client of [Stratus](../../README.md), the async-first, streaming AWS SDK for TypeScript:`,
    `one typed async method per ${className} operation${api ? ` (API version ${api})` : ""}, generated from the AWS model, with its`,
    "errors as classes, and the shared core (`@stratus/core`) for signing, credentials, retries and HTTP.",
    "",
    "```sh",
    `npm install ${manifest.name}`,
    "```",
    "",
    "```ts",
    `import { ${className} } from "${manifest.name}";`,
    "",
    `const ${variable} = new ${className}(); // region, credentials and endpoint as boto3 finds them`,
    ...calls.map(([method, input]) => `await ${variable}.${method}(${input});`),
    `await ${variable}.destroy();`,
    "```",
    "",
    "Every method takes `{ signal, timeout }` as its second argument. An error the service",
    `returns is thrown as its own class, a subclass of \`${className}ServiceError\` and of the core's`,
    "`ServiceError` (`code`, `message`, `$metadata.requestId`…).",
  ];
  if (paginators.length > 0) {
    lines.push("", `Paginators (\`${variable}.paginate.<name>(input)\`: pages, \`.items()\`, \`.search(jmespath)\`): ${listed(paginators)}.`);
  }
  if (waiters.length > 0) {
    lines.push("", `Waiters (\`${variable}.waitUntil.<name>(input, { maxWait })\`): ${listed(waiters)}.`);
  }
  lines.push(
    "",
    "Links: [the Stratus README](../../README.md) (quick start, credentials, migration from the",
    "v3 SDK and boto3) · [examples](../../examples/README.md) · the API reference (`pnpm docs`,",
    "into `docs/api/`) · the AWS API reference of each operation, linked from its method's",
    "doc comment.",
    "",
  );
  return lines.join("\n");
}

/** "SQS" → "sqs", "CloudWatchLogs" → "cloudWatchLogs", "SSOOIDC" → "ssoOidc". */
function variableName(className: string): string {
  if (className === "SSOOIDC") return "ssoOidc";
  if (/^[A-Z0-9]+$/.test(className)) return className.toLowerCase();
  return className.charAt(0).toLowerCase() + className.slice(1);
}

/** Names as code, the first dozen and how many more. */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, 12).map((n) => `\`${n}\``).join(", ");
  return names.length > 12 ? `${shown} and ${names.length - 12} more` : shown;
}

/** The members of the client's `readonly <block> = { name: (input…) => …, … }`. */
function memberNames(client: string, block: string): string[] {
  const start = client.indexOf(`readonly ${block} = {`);
  if (start === -1) return [];
  const end = client.indexOf("\n  };", start);
  return [...client.slice(start, end).matchAll(/^ {4}(\w+): \(/gm)].map((m) => m[1] ?? "");
}

if (import.meta.main) {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  for (const name of servicePackages()) {
    const path = join(PACKAGES, name, "README.md");
    const text = serviceReadme(name);
    const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    if (current === text) continue;
    if (check) stale.push(`packages/${name}/README.md`);
    else writeFileSync(path, text);
  }
  if (stale.length > 0) {
    console.error(`out of date (run node scripts/package-readmes.ts): ${stale.join(", ")}`);
    process.exit(1);
  }
  console.log(check ? "package READMEs are up to date" : `wrote ${servicePackages().length} package READMEs`);
}
