/**
 * The services this repository generates packages for, by botocore folder name. The
 * importer takes these from the data directory unless told otherwise (`--all`, or names on
 * its command line); the generator makes one package per file in models/.
 *
 * A package's folder and npm name are the botocore folder name (`packages/sso-oidc`,
 * `@stratus/sso-oidc`), the name boto3 users already type (`boto3.client("sso-oidc")`).
 */
export const SERVICES: readonly string[] = [
  "bedrock-runtime",
  "cloudwatch",
  "dynamodb",
  "ec2",
  "ecr",
  "events",
  "iam",
  "kinesis",
  "kms",
  "lambda",
  "logs",
  "s3",
  "secretsmanager",
  "sns",
  "sqs",
  "ssm",
  "sso",
  "sso-oidc",
  "sts",
];
