// Profile name, profile selection, region and single-value lookups: source order, the
// "empty means unset" rule, and errors that say where a bad value came from.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError, NoRegionError, ProfileNotFoundError } from "../../src/errors/index.ts";
import {
  configValue,
  describeSetting,
  isValidRegion,
  loadSharedConfig,
  requireProfile,
  requireRegion,
  resolveProfileName,
  resolveRegion,
  selectProfile,
  type SharedConfig,
} from "../../src/config/index.ts";
import { tempHome } from "../support/temp-home.ts";

async function load(t: TestContext, files: { config?: string; credentials?: string }): Promise<{ config: SharedConfig; dir: string }> {
  const h = tempHome(files);
  t.after(() => h.remove());
  return { config: await loadSharedConfig({ env: h.env }), dir: h.dir };
}

test("resolveProfileName: explicit, then AWS_PROFILE, then AWS_DEFAULT_PROFILE, then default", () => {
  const env = { AWS_PROFILE: "from-profile", AWS_DEFAULT_PROFILE: "from-default-profile" };
  assert.equal(resolveProfileName({ profile: "explicit", env }), "explicit");
  assert.equal(resolveProfileName({ env }), "from-profile");
  assert.equal(resolveProfileName({ env: { AWS_DEFAULT_PROFILE: "from-default-profile" } }), "from-default-profile");
  assert.equal(resolveProfileName({ env: {} }), "default");
  assert.equal(resolveProfileName({ profile: "", env: { AWS_PROFILE: "", AWS_DEFAULT_PROFILE: "" } }), "default");
});

test("selectProfile: a missing implicit default is fine, a missing named profile is not", async (t) => {
  const { config, dir } = await load(t, { config: "[profile dev]\nregion = eu-west-1\n" });
  assert.deepEqual(selectProfile({ env: {}, config }), { name: "default", values: undefined, explicit: false });
  assert.deepEqual(selectProfile({ env: { AWS_PROFILE: "dev" }, config }), {
    name: "dev",
    values: { region: "eu-west-1" },
    explicit: true,
  });
  for (const options of [{ profile: "nope" }, { env: { AWS_PROFILE: "default" } }, { env: { AWS_DEFAULT_PROFILE: "gone" } }]) {
    assert.throws(
      () => selectProfile({ env: {}, ...options, config }),
      (error: unknown) => {
        assert.ok(error instanceof ProfileNotFoundError);
        assert.equal(
          error.message,
          `profile "${error.profile}" was not found in ${join(dir, ".aws", "config")} or ${join(dir, ".aws", "credentials")}`,
        );
        return true;
      },
    );
  }
});

test("requireProfile returns the merged profile or throws ProfileNotFoundError", async (t) => {
  const { config } = await load(t, { config: "[profile a]\nregion = r\n", credentials: "[a]\nk = v\n" });
  assert.deepEqual(requireProfile(config, "a"), { region: "r", k: "v" });
  assert.throws(() => requireProfile(config, "b"), { name: "ProfileNotFoundError" });
});

test("resolveRegion: explicit, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile", () => {
  const profile = { region: "eu-central-1" };
  const env = { AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "us-east-2" };
  assert.equal(resolveRegion({ region: "ap-east-1", env, profile }), "ap-east-1");
  assert.equal(resolveRegion({ env, profile }), "us-west-2");
  assert.equal(resolveRegion({ env: { AWS_DEFAULT_REGION: "us-east-2" }, profile }), "us-east-2");
  assert.equal(resolveRegion({ env: {}, profile }), "eu-central-1");
  assert.equal(resolveRegion({ env: {} }), undefined);
  assert.equal(resolveRegion({ region: "", env: { AWS_REGION: "", AWS_DEFAULT_REGION: "" }, profile: { region: "" } }), undefined);
});

test("resolveRegion validates the value it picks and names its source", async (t) => {
  const message = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.message;
    }
    return assert.fail("expected a ConfigError");
  };
  assert.equal(
    message(() => resolveRegion({ region: "US-EAST-1", env: {} })),
    'the region option is "US-EAST-1", which is not a region name (only a-z, 0-9 and "-")',
  );
  assert.match(message(() => resolveRegion({ env: { AWS_REGION: "us east" } })), /^the AWS_REGION environment variable is "us east"/);
  assert.match(message(() => resolveRegion({ env: { AWS_DEFAULT_REGION: "eu_west_1" } })), /^the AWS_DEFAULT_REGION environment variable/);
  assert.match(message(() => resolveRegion({ env: {}, profile: { region: "x/y" } })), /^region in the profile is "x\/y"/);
  const { config, dir } = await load(t, { config: "[profile dev]\noutput = json\nregion = Eu-West-1\n" });
  assert.equal(
    message(() => resolveRegion({ env: {}, profile: config.profile("dev") })),
    `region in profile "dev" (${join(dir, ".aws", "config")}:3) is "Eu-West-1", which is not a region name (only a-z, 0-9 and "-")`,
  );
  // Only the value chosen is checked: a good env value hides a bad profile value.
  assert.equal(resolveRegion({ env: { AWS_REGION: "us-east-1" }, profile: config.profile("dev") }), "us-east-1");
});

test("resolveRegion: a nested block where a region should be is a ConfigError", async (t) => {
  const { config } = await load(t, { config: "[default]\nregion =\n  x = y\n" });
  assert.throws(() => resolveRegion({ env: {}, profile: config.profile("default") }), {
    name: "ConfigError",
    message: /^region in profile "default" \(.*config:2\) is an indented block of settings; a single value was expected$/,
  });
});

test("isValidRegion", () => {
  for (const ok of ["us-east-1", "us-gov-west-1", "cn-north-1", "local", "eu-isoe-west-1"]) assert.equal(isValidRegion(ok), true, ok);
  for (const bad of ["", "US-EAST-1", "us_east_1", "us-east-1 ", "us.east", "üs"]) assert.equal(isValidRegion(bad), false, bad);
});

test("requireRegion returns the region or throws NoRegionError listing what was looked at", async (t) => {
  assert.equal(requireRegion({ env: { AWS_REGION: "us-west-1" } }), "us-west-1");
  assert.throws(
    () => requireRegion({ env: {} }),
    (error: unknown) => {
      assert.ok(error instanceof NoRegionError);
      assert.equal(
        error.message,
        "no region is configured; looked at the region option, AWS_REGION, AWS_DEFAULT_REGION. Pass { region } or set AWS_REGION.",
      );
      return true;
    },
  );
  const { config } = await load(t, { config: "[profile dev]\noutput = json\n" });
  assert.throws(() => requireRegion({ env: {}, profile: config.profile("dev") }), {
    name: "NoRegionError",
    message:
      'no region is configured; looked at the region option, AWS_REGION, AWS_DEFAULT_REGION, region in profile "dev". Pass { region } or set AWS_REGION.',
  });
  assert.throws(() => requireRegion({ region: "Bad", env: {} }), { name: "ConfigError", message: /^the region option is "Bad"/ });
});

test("configValue: the environment wins over the file, empty counts as unset, own keys only", () => {
  const profile = { sts_regional_endpoints: "legacy", toString_: "x" };
  const key = { envVar: "AWS_STS_REGIONAL_ENDPOINTS", configKey: "sts_regional_endpoints" };
  assert.equal(configValue({ env: { AWS_STS_REGIONAL_ENDPOINTS: "regional" }, profile }, key), "regional");
  assert.equal(configValue({ env: {}, profile }, key), "legacy");
  assert.equal(configValue({ env: { AWS_STS_REGIONAL_ENDPOINTS: "" }, profile }, key), "legacy");
  assert.equal(configValue({ env: {}, profile: { sts_regional_endpoints: "" } }, key), undefined);
  assert.equal(configValue({ env: {} }, key), undefined);
  assert.equal(configValue({ env: { X: "env-only" }, profile }, { envVar: "X" }), "env-only");
  assert.equal(configValue({ env: { sts_regional_endpoints: "ignored" }, profile }, { configKey: "sts_regional_endpoints" }), "legacy");
  assert.equal(configValue({ env: {}, profile }, { configKey: "toString" }), undefined);
  assert.equal(configValue({ env: {}, profile }, { configKey: "constructor" }), undefined);
});

test("describeSetting points at the file and line of a loaded setting", async (t) => {
  const { config, dir } = await load(t, {
    config: "[profile dev]\nregion = us-east-1\nmax_attempts = 4\n",
    credentials: "\n[dev]\nmax_attempts = 9\n",
  });
  const dev = config.profile("dev");
  assert.equal(describeSetting(dev, "region"), `region in profile "dev" (${join(dir, ".aws", "config")}:2)`);
  assert.equal(describeSetting(dev, "max_attempts"), `max_attempts in profile "dev" (${join(dir, ".aws", "credentials")}:3)`);
  assert.equal(describeSetting(dev, "absent"), 'absent in profile "dev"');
  assert.equal(describeSetting({ region: "x" }, "region"), "region in the profile");
  assert.equal(describeSetting(undefined, "region", "no profile"), "region in no profile");
});
