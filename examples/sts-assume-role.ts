// Assume an IAM role with STS and work as it: the role's temporary credentials become a
// provider that clients share through a Session (boto3's Session), fetched once, cached,
// and fetched again before they expire; any client built from that session acts as the
// role. Here an STS client says who it is before and after, and an S3 client writes and
// reads an object as the role.
//
//   STRATUS_EXAMPLE_ROLE_ARN=arn:aws:iam::123456789012:role/reader node examples/sts-assume-role.ts
//
// The credentials that call AssumeRole, the region and the endpoints come from the
// environment as usual (AWS_ACCESS_KEY_ID…, AWS_REGION, AWS_ENDPOINT_URL_STS and
// AWS_ENDPOINT_URL_S3 for local stand-ins); the bucket from STRATUS_EXAMPLE_BUCKET
// (default "stratus-examples"), created if it is missing.
import { Credentials, Session, type CredentialProvider } from "@stratus/core";
import { BucketAlreadyOwnedByYou, S3 } from "@stratus/s3";
import { STS } from "@stratus/sts";

const RoleArn = process.env["STRATUS_EXAMPLE_ROLE_ARN"];
const Bucket = process.env["STRATUS_EXAMPLE_BUCKET"] ?? "stratus-examples";
if (!RoleArn) {
  console.error("set STRATUS_EXAMPLE_ROLE_ARN to the ARN of a role your credentials may assume");
  process.exit(2);
}

/** The role's credentials, asked of STS whenever the client's cache needs new ones. */
function assumedRole(sts: STS, roleArn: string): CredentialProvider {
  return {
    name: "assume-role",
    async resolve() {
      const { Credentials: issued, AssumedRoleUser } = await sts.assumeRole({ RoleArn: roleArn, RoleSessionName: "stratus-example", DurationSeconds: 900 });
      if (!issued) throw new Error(`AssumeRole of ${roleArn} returned no credentials`);
      console.log(`assumed ${AssumedRoleUser?.Arn}, until ${issued.Expiration.toISOString()}`);
      const identity = { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, sessionToken: issued.SessionToken, expiration: issued.Expiration };
      return new Credentials(identity, "assume-role");
    },
  };
}

// Our own identity: the default chain (the environment, ~/.aws, SSO…).
await using sts = new STS();
console.log(`calling as ${(await sts.getCallerIdentity()).Arn}`);

// Every client built from this session acts as the role; they share one set of credentials.
const role = new Session({ credentials: assumedRole(sts, RoleArn) });
await using stsAsRole = new STS({ session: role });
await using s3 = new S3({ session: role });

console.log(`then as ${(await stsAsRole.getCallerIdentity()).Arn}`);
try {
  await s3.createBucket({ Bucket });
} catch (error) {
  if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
}
await s3.putObject({ Bucket, Key: "assumed.txt", Body: "written as the role" });
const object = await s3.getObject({ Bucket, Key: "assumed.txt" });
console.log(`s3://${Bucket}/assumed.txt as the role: "${await object.Body?.text()}"`);
