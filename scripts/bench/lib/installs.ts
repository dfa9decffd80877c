/**
 * Installing the peers the way an application does, in throw-away folders outside the repo:
 *
 *   packStratus      the publishable Stratus packages: `scripts/build.ts` writes their dist/,
 *                    then `pnpm pack` makes the tarballs a registry would serve (manifest
 *                    from publishConfig, `workspace:*` turned into versions)
 *   npmInstall       `npm install` of exact versions (and tarballs) into a new folder, with
 *                    the Node this bench runs on first on the PATH, so npm resolves engines
 *                    for that Node
 *   treeSize         bytes, files and packages in a node_modules folder
 *   storeClosure     the offline stand-in for the smoke test: the packages a set of root
 *                    dependencies pulls in, as pnpm installed them in this repo
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ROOT } from "./common.ts";

const rootManifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  devDependencies?: Record<string, string>;
  packageManager?: string;
};

/** The exact version the root manifest pins for a peer package ("3.1175.0"). */
export function pinned(name: string): string {
  const version = rootManifest.devDependencies?.[name];
  if (!version || !/^\d/.test(version)) throw new Error(`${name} is not pinned in the root package.json devDependencies`);
  return version;
}

/** PATH with this Node's folder first (npm's `#!/usr/bin/env node` then runs on it). */
function pathWithThisNode(): string {
  return `${dirname(process.execPath)}:${join(ROOT, "node_modules", ".bin")}:${process.env["PATH"] ?? ""}`;
}

export type Packed = { readonly ok: true; readonly tarballs: readonly string[] } | { readonly ok: false; readonly reason: string };

/** Builds and packs `packages/<name>` for each name into `dest`. */
export function packStratus(dest: string, names: readonly string[]): Packed {
  const built = spawnSync(process.execPath, [join(ROOT, "scripts", "build.ts"), ...names], { cwd: ROOT, encoding: "utf8" });
  if (built.status !== 0) return { ok: false, reason: `scripts/build.ts failed: ${(built.stderr || built.stdout).trim().split("\n")[0] ?? ""}` };
  const pnpm = rootManifest.packageManager ?? "pnpm";
  const tarballs: string[] = [];
  for (const name of names) {
    const before = new Set(readdirSync(dest));
    const packed = spawnSync("npx", ["--yes", pnpm, "pack", "--pack-destination", dest], {
      cwd: join(ROOT, "packages", name),
      encoding: "utf8",
      env: { ...process.env, PATH: pathWithThisNode() },
    });
    const tarball = readdirSync(dest).find((file) => !before.has(file) && file.endsWith(".tgz"));
    if (packed.status !== 0 || !tarball) return { ok: false, reason: `pnpm pack of packages/${name} failed: ${(packed.stderr || packed.stdout).trim().split("\n")[0] ?? ""}` };
    tarballs.push(join(dest, tarball));
  }
  return { ok: true, tarballs };
}

/** `npm install` of `specs` into `dir` (made an app folder first); rejects with npm's output. */
export function npmInstall(dir: string, specs: readonly string[]): Promise<void> {
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "stratus-bench-app", private: true, type: "module" }, null, 2));
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", ...specs], {
      cwd: dir,
      env: { ...process.env, PATH: pathWithThisNode() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill(), 300_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`npm install ${specs.join(" ")} failed (${code}): ${output.trim().slice(-500)}`));
    });
  });
}

export interface TreeSize {
  /** Sum of the files' sizes (apparent size, not disk blocks). */
  readonly bytes: number;
  readonly files: number;
  readonly packages: number;
}

/** Every file under a node_modules folder (symbolic links are not followed). */
export function treeSize(nodeModules: string): TreeSize {
  let bytes = 0;
  let files = 0;
  let packages = 0;
  const walk = (dir: string, depthInNodeModules: boolean): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        // A folder directly under node_modules (or under a scope) with a manifest is a package.
        if (depthInNodeModules && !entry.name.startsWith("@") && existsSync(join(path, "package.json"))) packages++;
        const scope = depthInNodeModules && entry.name.startsWith("@");
        walk(path, entry.name === "node_modules" || scope);
      } else if (entry.isFile()) {
        bytes += lstatSync(path).size;
        files++;
      }
    }
  };
  walk(nodeModules, true);
  return { bytes, files, packages };
}

/** The largest packages directly under a node_modules folder (scoped ones by their full name). */
export function largestPackages(nodeModules: string, count: number): Array<{ readonly name: string; readonly bytes: number }> {
  const sizes: Array<{ name: string; bytes: number }> = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const names = entry.name.startsWith("@") ? readdirSync(join(nodeModules, entry.name)).map((n) => `${entry.name}/${n}`) : [entry.name];
    for (const name of names) sizes.push({ name, bytes: folderSize(join(nodeModules, name), undefined).bytes });
  }
  return sizes.sort((a, b) => b.bytes - a.bytes).slice(0, count);
}

/**
 * Offline: the packages that `roots` (resolved from `from`) pull in through their
 * dependencies, as installed in this repo's pnpm store, and their size. Each package
 * counts once, without its nested node_modules; a workspace package counts its `files`.
 */
export function storeClosure(from: string, roots: readonly string[]): TreeSize {
  const seen = new Set<string>();
  let bytes = 0;
  let files = 0;
  const visit = (name: string, fromDir: string): void => {
    const dir = findPackage(name, fromDir);
    if (!dir || seen.has(dir)) return;
    seen.add(dir);
    const size = folderSize(dir, publishedFiles(dir));
    bytes += size.bytes;
    files += size.files;
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, dir);
  };
  for (const root of roots) visit(root, from);
  return { bytes, files, packages: seen.size };
}

/** Node's lookup: `<dir>/node_modules/<name>`, then the same from each parent folder. */
function findPackage(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/** A workspace package ships only its `files` (plus its manifest); an installed one is whole. */
function publishedFiles(dir: string): readonly string[] | undefined {
  if (dir.includes("/node_modules/")) return undefined;
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { files?: string[] };
  if (!manifest.files) return undefined;
  // Not built yet (dist/ missing): its sources stand in, about the same size.
  const shipped = manifest.files.some((entry) => existsSync(join(dir, entry))) ? manifest.files : ["src"];
  return [...shipped, "package.json"];
}

function folderSize(dir: string, only: readonly string[] | undefined): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (path: string): void => {
    const stat = lstatSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== "node_modules") walk(join(path, entry));
    } else if (stat.isFile()) {
      bytes += stat.size;
      files++;
    }
  };
  for (const entry of only ?? readdirSync(dir).filter((e) => e !== "node_modules")) {
    if (existsSync(join(dir, entry))) walk(join(dir, entry));
  }
  return { bytes, files };
}
