// Configured endpoint URLs (botocore's order, the ignore switch, services sections, name
// mangling, URL checks) and the FIPS / dual-stack flags.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  loadSharedConfig,
  resolveEndpointFlags,
  resolveEndpointUrl,
  serviceConfigKey,
  serviceEndpointEnvVar,
  type SharedConfig,
} from "../../src/config/index.ts";
import { tempHome } from "../support/temp-home.ts";

const CONFIG = [
  "[profile dev]",
  "services = local",
  "endpoint_url = http://profile-global:1000",
  "[profile no-services]",
  "endpoint_url = https://profile-only.example.com/base/",
  "[profile dangling]",
  "services = missing",
  "[profile ignoring]",
  "services = local",
  "endpoint_url = http://profile-global:1000",
  "ignore_configured_endpoint_urls = TRUE",
  "[profile bad-flag]",
  "ignore_configured_endpoint_urls = yes",
  "[profile wrong-shape]",
  "services = flat",
  "[services local]",
  "s3 =",
  "  endpoint_url = http://localhost:4566",
  "secrets_manager =",
  "  endpoint_url = http://localhost:4567",
  "elastic_beanstalk =",
  "  region = not-an-endpoint",
  "[services flat]",
  "s3 = http://written-flat:1",
].join("\n");

async function setup(t: TestContext): Promise<{ config: SharedConfig; file: string }> {
  const h = tempHome({ config: CONFIG });
  t.after(() => h.remove());
  return { config: await loadSharedConfig({ env: h.env }), file: join(h.dir, ".aws", "config") };
}

test("service ids become variable and block names: upper/lower case, spaces and hyphens to _", () => {
  assert.equal(serviceEndpointEnvVar("S3"), "AWS_ENDPOINT_URL_S3");
  assert.equal(serviceEndpointEnvVar("Secrets Manager"), "AWS_ENDPOINT_URL_SECRETS_MANAGER");
  assert.equal(serviceEndpointEnvVar("sso-oidc"), "AWS_ENDPOINT_URL_SSO_OIDC");
  assert.equal(serviceEndpointEnvVar("Elastic Load Balancing v2"), "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2");
  assert.equal(serviceConfigKey("S3"), "s3");
  assert.equal(serviceConfigKey("Secrets Manager"), "secrets_manager");
  assert.equal(serviceConfigKey("SSO OIDC"), "sso_oidc");
  assert.equal(serviceConfigKey("sso-oidc"), "sso_oidc");
});

test("order: option, service variable, global variable, services block, profile endpoint_url", async (t) => {
  const { config } = await setup(t);
  const profile = config.profile("dev");
  const all = { AWS_ENDPOINT_URL_S3: "http://env-service:1", AWS_ENDPOINT_URL: "http://env-global:2" };
  const base = { serviceId: "S3", profile, config };
  assert.equal(resolveEndpointUrl({ ...base, endpointUrl: "https://option.example.com", env: all }), "https://option.example.com");
  assert.equal(resolveEndpointUrl({ ...base, env: all }), "http://env-service:1");
  assert.equal(resolveEndpointUrl({ ...base, env: { AWS_ENDPOINT_URL: "http://env-global:2" } }), "http://env-global:2");
  assert.equal(resolveEndpointUrl({ ...base, env: {} }), "http://localhost:4566");
  assert.equal(resolveEndpointUrl({ ...base, serviceId: "DynamoDB", env: {} }), "http://profile-global:1000");
  assert.equal(resolveEndpointUrl({ ...base, profile: undefined, env: {} }), undefined);
  assert.equal(resolveEndpointUrl({ ...base, env: { AWS_ENDPOINT_URL_S3: "", AWS_ENDPOINT_URL: "" } }), "http://localhost:4566");
});

test("the service variable and services block use the mangled service id", async (t) => {
  const { config } = await setup(t);
  const base = { serviceId: "Secrets Manager", profile: config.profile("dev"), config };
  assert.equal(resolveEndpointUrl({ ...base, env: {} }), "http://localhost:4567");
  assert.equal(
    resolveEndpointUrl({ ...base, env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: "http://sm:9", AWS_ENDPOINT_URL_S3: "http://s3:9" } }),
    "http://sm:9",
  );
  // A block without endpoint_url falls through to the profile's own endpoint_url.
  assert.equal(resolveEndpointUrl({ ...base, serviceId: "Elastic Beanstalk", env: {} }), "http://profile-global:1000");
});

test("without a services name, the profile's endpoint_url is used exactly as written", async (t) => {
  const { config } = await setup(t);
  assert.equal(
    resolveEndpointUrl({ serviceId: "S3", env: {}, profile: config.profile("no-services"), config }),
    "https://profile-only.example.com/base/",
  );
});

test("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true leaves only the explicit option", async (t) => {
  const { config } = await setup(t);
  const base = { serviceId: "S3", profile: config.profile("dev"), config };
  const env = { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true", AWS_ENDPOINT_URL_S3: "http://env-service:1", AWS_ENDPOINT_URL: "http://g:2" };
  assert.equal(resolveEndpointUrl({ ...base, env }), undefined);
  assert.equal(resolveEndpointUrl({ ...base, env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "True" } }), undefined);
  assert.equal(resolveEndpointUrl({ ...base, env, endpointUrl: "http://option:3" }), "http://option:3");
  assert.equal(resolveEndpointUrl({ ...base, env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "false" } }), "http://localhost:4566");
});

test("ignore_configured_endpoint_urls in the profile, and the environment overriding it", async (t) => {
  const { config } = await setup(t);
  const base = { serviceId: "S3", profile: config.profile("ignoring"), config };
  assert.equal(resolveEndpointUrl({ ...base, env: { AWS_ENDPOINT_URL: "http://g:2" } }), undefined);
  assert.equal(resolveEndpointUrl({ ...base, env: {}, endpointUrl: "https://opt" }), "https://opt");
  assert.equal(resolveEndpointUrl({ ...base, env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "false" } }), "http://localhost:4566");
});

test("a bad ignore flag is a ConfigError naming its source", async (t) => {
  const { config, file } = await setup(t);
  assert.throws(() => resolveEndpointUrl({ serviceId: "S3", env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "1" }, config }), {
    name: "ConfigError",
    message: 'the AWS_IGNORE_CONFIGURED_ENDPOINT_URLS environment variable must be "true" or "false", not "1"',
  });
  assert.throws(() => resolveEndpointUrl({ serviceId: "S3", env: {}, profile: config.profile("bad-flag"), config }), {
    name: "ConfigError",
    message: `ignore_configured_endpoint_urls in profile "bad-flag" (${file}:13) must be "true" or "false", not "yes"`,
  });
});

test("a services name with no such section is a ConfigError, unless an earlier source answered", async (t) => {
  const { config, file } = await setup(t);
  const base = { serviceId: "S3", profile: config.profile("dangling"), config };
  assert.throws(() => resolveEndpointUrl({ ...base, env: {} }), {
    name: "ConfigError",
    message: `services in profile "dangling" (${file}:7) refers to services "missing", but ${file} has no [services missing] section`,
  });
  assert.equal(resolveEndpointUrl({ ...base, env: { AWS_ENDPOINT_URL: "http://g:2" } }), "http://g:2");
});

test("a service written as a single value inside [services x] is a ConfigError", async (t) => {
  const { config, file } = await setup(t);
  assert.throws(() => resolveEndpointUrl({ serviceId: "S3", env: {}, profile: config.profile("wrong-shape"), config }), {
    name: "ConfigError",
    message: `s3 in services "flat" (${file}:24) is a single value; an indented block of "key = value" lines was expected`,
  });
});

test("every URL found is checked: absolute http(s) only, with the source named and no URL echoed", async (t) => {
  const { config } = await setup(t);
  const bad: [Record<string, string>, string | undefined, string][] = [
    [{}, "localhost:4566", "the endpointUrl option must be an absolute URL starting with http:// or https:// (it uses \"localhost:\")"],
    [{}, "not a url", "the endpointUrl option is not a valid URL; expected an absolute http:// or https:// URL"],
    [{ AWS_ENDPOINT_URL_S3: "ftp://files" }, undefined, 'the AWS_ENDPOINT_URL_S3 environment variable must be an absolute URL starting with http:// or https:// (it uses "ftp:")'],
    [{ AWS_ENDPOINT_URL: "http:no-slashes" }, undefined, "the AWS_ENDPOINT_URL environment variable must be an absolute URL starting with http:// or https://"],
    [{ AWS_ENDPOINT_URL: "http://user:hunter2@[bad" }, undefined, "the AWS_ENDPOINT_URL environment variable is not a valid URL; expected an absolute http:// or https:// URL"],
  ];
  for (const [env, endpointUrl, message] of bad) {
    assert.throws(() => resolveEndpointUrl({ serviceId: "S3", env, endpointUrl, config }), { name: "ConfigError", message });
  }
  const h = tempHome({ config: "[default]\nservices = s\n[services s]\ns3 =\n  endpoint_url = localhost:4566\n" });
  t.after(() => h.remove());
  const other = await loadSharedConfig({ env: h.env });
  assert.throws(() => resolveEndpointUrl({ serviceId: "S3", env: {}, profile: other.profile("default"), config: other }), {
    name: "ConfigError",
    message: `endpoint_url in the "s3" block of services "s" (${join(h.dir, ".aws", "config")}:5) must be an absolute URL starting with http:// or https:// (it uses "localhost:")`,
  });
});

test("resolveEndpointFlags: env over profile, case-insensitive true/false, default false", () => {
  assert.deepEqual(resolveEndpointFlags({ env: {} }), { useFips: false, useDualStack: false });
  const profile = { use_fips_endpoint: "true", use_dualstack_endpoint: "TRUE" };
  assert.deepEqual(resolveEndpointFlags({ env: {}, profile }), { useFips: true, useDualStack: true });
  assert.deepEqual(resolveEndpointFlags({ env: { AWS_USE_FIPS_ENDPOINT: "False" }, profile }), { useFips: false, useDualStack: true });
  assert.deepEqual(resolveEndpointFlags({ env: { AWS_USE_DUALSTACK_ENDPOINT: "false", AWS_USE_FIPS_ENDPOINT: "" }, profile }), {
    useFips: true,
    useDualStack: false,
  });
  assert.deepEqual(resolveEndpointFlags({ env: { AWS_USE_FIPS_ENDPOINT: "tRuE" } }), { useFips: true, useDualStack: false });
});

test("resolveEndpointFlags: anything but true/false is a ConfigError naming the source", () => {
  assert.throws(() => resolveEndpointFlags({ env: { AWS_USE_FIPS_ENDPOINT: "1" } }), {
    name: "ConfigError",
    message: 'the AWS_USE_FIPS_ENDPOINT environment variable must be "true" or "false", not "1"',
  });
  assert.throws(() => resolveEndpointFlags({ env: {}, profile: { use_dualstack_endpoint: "yes" } }), {
    name: "ConfigError",
    message: 'use_dualstack_endpoint in the profile must be "true" or "false", not "yes"',
  });
});
