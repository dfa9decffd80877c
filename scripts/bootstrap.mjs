// Set-up that runs on the machine's own Node (20+) with nothing installed: it brings the
// pinned pnpm (through npx, never globally) and, through the `node` devDependency, a
// pinned Node 24 into node_modules/.bin, installs from the committed lockfile, then runs
// the given TypeScript entry point with that Node. A stamp of the lockfile and manifests
// makes the next run skip the install when nothing changed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pnpmSpec = rootManifest.packageManager; // "pnpm@<exact version>"
const stampFile = join(root, "node_modules", ".stratus-setup");
const nodeBin = join(root, "node_modules", ".bin", process.platform === "win32" ? "node.cmd" : "node");

function installInputs() {
  const files = ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", ".npmrc"];
  const packagesDir = join(root, "packages");
  if (existsSync(packagesDir)) {
    for (const name of readdirSync(packagesDir).sort()) {
      if (existsSync(join(packagesDir, name, "package.json"))) files.push(join("packages", name, "package.json"));
    }
  }
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(file + "\0");
    const path = join(root, file);
    hash.update(existsSync(path) ? readFileSync(path) : "(absent)");
    hash.update("\0");
  }
  return hash.digest("hex");
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function setUp() {
  const wanted = `${pnpmSpec}\n${installInputs()}`;
  if (existsSync(nodeBin) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === wanted) return;
  const frozen = existsSync(join(root, "pnpm-lock.yaml")) ? ["--frozen-lockfile"] : [];
  console.error(`stratus set-up: installing with ${pnpmSpec} (${frozen.length ? "committed lockfile" : "new lockfile"})`);
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";
  const status = run(npx, ["--yes", pnpmSpec, "install", ...frozen, "--reporter=append-only"]);
  if (status !== 0) process.exit(status);
  if (!existsSync(nodeBin)) {
    console.error("stratus set-up: node_modules/.bin/node is missing after install (the `node` package's preinstall did not run)");
    process.exit(1);
  }
  writeFileSync(stampFile, wanted);
}

setUp();
const [entry, ...rest] = process.argv.slice(2);
if (entry) {
  const binDir = join(root, "node_modules", ".bin");
  const env = { ...process.env, PATH: `${binDir}${process.platform === "win32" ? ";" : ":"}${process.env.PATH ?? ""}` };
  process.exit(run(nodeBin, [entry, ...rest], { env }));
}
