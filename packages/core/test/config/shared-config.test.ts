// Loading the two shared files: where they are, which section means what, and the merged
// per-profile view. Every test uses a throw-away home; nothing reads the real ~/.aws.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { homedir } from "node:os";
import { ConfigError, ConfigFileError } from "../../src/errors/index.ts";
import { loadSharedConfig, resolveHomeDir, sharedConfigPaths, type SharedConfig } from "../../src/config/index.ts";
import { tempHome, type TempHome } from "../support/temp-home.ts";

function home(t: TestContext, files: { config?: string; credentials?: string } = {}): TempHome {
  const h = tempHome(files);
  t.after(() => h.remove());
  return h;
}

async function load(t: TestContext, files: { config?: string; credentials?: string }): Promise<SharedConfig> {
  return loadSharedConfig({ env: home(t, files).env });
}

function entries(map: ReadonlyMap<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(map);
}

test("resolveHomeDir: HOME, then USERPROFILE, then HOMEDRIVE+HOMEPATH, then the OS", () => {
  assert.equal(resolveHomeDir({ HOME: "/h", USERPROFILE: "C:\\u", HOMEDRIVE: "D:", HOMEPATH: "\\p" }), "/h");
  assert.equal(resolveHomeDir({ USERPROFILE: "C:\\u", HOMEDRIVE: "D:", HOMEPATH: "\\p" }), "C:\\u");
  assert.equal(resolveHomeDir({ HOME: "", USERPROFILE: "", HOMEDRIVE: "D:", HOMEPATH: "\\p" }), "D:\\p");
  assert.equal(resolveHomeDir({ HOMEPATH: "\\p" }), "\\p");
  assert.equal(resolveHomeDir({}), homedir());
});

test("default paths are under the resolved home; homeDir overrides it", () => {
  assert.deepEqual(sharedConfigPaths({ env: { HOME: "/h" } }), {
    configFile: join("/h", ".aws", "config"),
    credentialsFile: join("/h", ".aws", "credentials"),
  });
  assert.deepEqual(sharedConfigPaths({ env: { HOME: "/h" }, homeDir: "/other" }), {
    configFile: join("/other", ".aws", "config"),
    credentialsFile: join("/other", ".aws", "credentials"),
  });
});

test("AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE replace the defaults, with ~ expanded to the resolved home", async (t) => {
  const h = home(t, { config: "[default]\nregion = from-default-file\n", credentials: "[default]\nx = default-creds\n" });
  const configFile = h.write("elsewhere/cfg", "[default]\nregion = from-env-file\n");
  h.write("creds/c", "[default]\nx = env-creds\n");
  const config = await loadSharedConfig({
    env: { ...h.env, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: "~/creds/c" },
  });
  assert.equal(config.configFile, configFile);
  assert.equal(config.credentialsFile, `${h.dir}/creds/c`);
  assert.deepEqual(config.profile("default"), { region: "from-env-file", x: "env-creds" });
  assert.equal(sharedConfigPaths({ env: { HOME: "/h", AWS_CONFIG_FILE: "~" } }).configFile, "/h");
  assert.equal(sharedConfigPaths({ env: { HOME: "/h", AWS_CONFIG_FILE: "~user/x" } }).configFile, "~user/x");
  assert.equal(sharedConfigPaths({ env: { HOME: "/h", AWS_CONFIG_FILE: "" } }).configFile, join("/h", ".aws", "config"));
});

test("missing files are simply empty", async (t) => {
  const config = await load(t, {});
  assert.equal(config.configProfiles.size, 0);
  assert.equal(config.credentialProfiles.size, 0);
  assert.equal(config.ssoSessions.size, 0);
  assert.equal(config.services.size, 0);
  assert.equal(config.profile("default"), undefined);
  const h = home(t);
  const viaMissingDir = await loadSharedConfig({ env: { ...h.env, AWS_CONFIG_FILE: join(h.dir, "no", "such", "config") } });
  assert.equal(viaMissingDir.configProfiles.size, 0);
});

test("a path that exists but cannot be read as a file, or is not UTF-8, is a ConfigError", async (t) => {
  const h = home(t);
  const dirAsFile = join(h.dir, ".aws");
  h.write(".aws/placeholder", "");
  await assert.rejects(loadSharedConfig({ env: { ...h.env, AWS_CONFIG_FILE: dirAsFile } }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /^cannot read .*\.aws: EISDIR$/);
    return true;
  });
  const latin1 = join(h.dir, "latin1");
  writeFileSync(latin1, Buffer.from("[d]\nk=\xe9\n", "latin1"));
  await assert.rejects(loadSharedConfig({ env: { ...h.env, AWS_SHARED_CREDENTIALS_FILE: latin1 } }), {
    name: "ConfigError",
    message: `${latin1} is not valid UTF-8`,
  });
});

test("config file: [default] and [profile x] are profiles, [x] alone is ignored", async (t) => {
  const config = await load(t, {
    config: [
      "[default]",
      "region = us-east-1",
      "[profile dev]",
      "region = eu-west-1",
      "[profile \"with space\"]",
      "region = ap-south-1",
      "[plain]",
      "region = ignored",
      "[profiles typo]",
      "region = ignored",
      "[profile a b]",
      "region = ignored",
      "[profile 'unclosed]",
      "region = ignored",
    ].join("\n"),
  });
  assert.deepEqual(entries(config.configProfiles), {
    default: { region: "us-east-1" },
    dev: { region: "eu-west-1" },
    "with space": { region: "ap-south-1" },
  });
  assert.equal(config.profile("plain"), undefined);
  assert.equal(config.profile("typo"), undefined);
});

test("credentials file: every section is a profile named as written, [profile x] included", async (t) => {
  const config = await load(t, {
    credentials: "[default]\naws_access_key_id = A1\n[dev]\naws_access_key_id = A2\n[profile odd]\naws_access_key_id = A3\n",
  });
  assert.deepEqual(entries(config.credentialProfiles), {
    default: { aws_access_key_id: "A1" },
    dev: { aws_access_key_id: "A2" },
    "profile odd": { aws_access_key_id: "A3" },
  });
  assert.equal(config.configProfiles.size, 0);
  assert.equal(config.profile("odd"), undefined);
  assert.deepEqual(config.profile("profile odd"), { aws_access_key_id: "A3" });
});

test("[profile default] is the default profile and [default] is then ignored, whatever the order", async (t) => {
  for (const text of [
    "[default]\nregion = bare\noutput = json\n[profile default]\nregion = prefixed\n",
    "[profile default]\nregion = prefixed\n[default]\nregion = bare\noutput = json\n",
  ]) {
    const config = await load(t, { config: text });
    assert.deepEqual(config.profile("default"), { region: "prefixed" }, text);
  }
});

test("repeated sections and two spellings of one profile merge, the later line winning", async (t) => {
  const config = await load(t, {
    config: "[profile a]\nregion = r1\noutput = json\n[profile \"a\"]\nregion = r2\n[profile a]\ncli_pager = less\n",
  });
  assert.deepEqual(config.profile("a"), { region: "r2", output: "json", cli_pager: "less" });
});

test("profile(): credentials-file values override config-file values key by key", async (t) => {
  const config = await load(t, {
    config: "[profile dev]\nregion = us-east-1\naws_access_key_id = FROM_CONFIG\ns3 =\n  addressing_style = path\n",
    credentials: "[dev]\naws_access_key_id = FROM_CREDENTIALS\naws_secret_access_key = S\n[only-creds]\nk = v\n",
  });
  assert.deepEqual(config.profile("dev"), {
    region: "us-east-1",
    aws_access_key_id: "FROM_CREDENTIALS",
    aws_secret_access_key: "S",
    s3: { addressing_style: "path" },
  });
  assert.deepEqual(config.configProfiles.get("dev")?.["aws_access_key_id"], "FROM_CONFIG");
  assert.deepEqual(config.profile("only-creds"), { k: "v" });
  assert.equal(config.profile("nobody"), undefined);
});

test("[sso-session x] and [services x] get their own maps, with nested blocks as objects", async (t) => {
  const config = await load(t, {
    config: [
      "[profile dev]",
      "sso_session = corp",
      "services = local",
      "[sso-session corp]",
      "sso_start_url = https://corp.awsapps.com/start#/",
      "sso_region = us-east-1",
      "[services local]",
      "s3 =",
      "  endpoint_url = http://localhost:4566",
      "secrets_manager =",
      "  endpoint_url = http://localhost:4567",
    ].join("\n"),
  });
  assert.deepEqual(entries(config.ssoSessions), {
    corp: { sso_start_url: "https://corp.awsapps.com/start#/", sso_region: "us-east-1" },
  });
  assert.deepEqual(entries(config.services), {
    local: { s3: { endpoint_url: "http://localhost:4566" }, secrets_manager: { endpoint_url: "http://localhost:4567" } },
  });
  assert.equal(config.profile("corp"), undefined);
  assert.equal(config.profile("local"), undefined);
});

test("everything returned is frozen", async (t) => {
  const config = await load(t, { config: "[profile dev]\ns3 =\n  addressing_style = path\n" });
  const dev = config.profile("dev");
  assert.ok(dev);
  assert.equal(Object.isFrozen(config), true);
  assert.equal(Object.isFrozen(dev), true);
  assert.equal(Object.isFrozen(dev["s3"]), true);
});

test("a malformed line in either file is a ConfigFileError naming that file and line", async (t) => {
  const h = home(t, { config: "[default]\nregion = us-east-1\n", credentials: "[default]\naws_access_key_id = A\noops\n" });
  await assert.rejects(loadSharedConfig({ env: h.env }), (error: unknown) => {
    assert.ok(error instanceof ConfigFileError);
    assert.equal(error.file, join(h.dir, ".aws", "credentials"));
    assert.equal(error.line, 3);
    return true;
  });
  h.write(".aws/config", "region = us-east-1\n");
  await assert.rejects(loadSharedConfig({ env: h.env }), (error: unknown) => {
    assert.ok(error instanceof ConfigFileError);
    assert.equal(error.file, join(h.dir, ".aws", "config"));
    assert.equal(error.line, 1);
    return true;
  });
});
