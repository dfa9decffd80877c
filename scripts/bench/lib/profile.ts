/**
 * Where a child's CPU time goes: runs it once more under `node --cpu-prof` (the whole
 * process), or with BENCH_PROFILE_FILE set for a child that profiles only its own timed
 * part (children/throughput.mjs), and sums the profile's self time by file (workspace
 * files by path, dependencies by package, Node's internals by module) and by function, as
 * Markdown lines for the report.
 *
 * A bundle is one file, so for a bundle pass its unminified build (`bundleMap`): esbuild
 * heads each module's code with a `// path/to/module` comment, which maps every line of
 * the bundle back to the module it came from.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runChild } from "./common.ts";
import { packageOf } from "./esbuild.ts";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileOptions {
  /** A folder for the profile (removed afterwards). */
  readonly work: string;
  /** How many files and functions to list. */
  readonly files: number;
  readonly functions: number;
  /**
   * Also list the workspace's own functions (files under `packages/`) by total time, their
   * callees included: the pipeline's phases, as a Stratus developer reads them.
   */
  readonly inclusive?: number | undefined;
  /** The child writes its own profile of its timed part to BENCH_PROFILE_FILE. */
  readonly selfProfiling?: boolean | undefined;
  /** For a child that runs a bundle: the bundle's path and its unminified code. */
  readonly bundleMap?: { readonly path: string; readonly code: string } | undefined;
}

const SAMPLE_INTERVAL_US = 100;

export async function profileChild(
  title: string,
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: ProfileOptions,
): Promise<string[]> {
  const dir = mkdtempSync(join(options.work, "profile-"));
  try {
    if (options.selfProfiling) await runChild(script, args, { ...env, BENCH_PROFILE_FILE: join(dir, "child.cpuprofile") });
    else await runChild(script, args, env, ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${SAMPLE_INTERVAL_US}`]);
    const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
    if (!file) return [`*${title}*: no CPU profile was written.`];
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
    return summarize(title, profile, options);
  } catch (error) {
    return [`*${title}*: profiling failed: ${String(error).split("\n")[0]}`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarize(title: string, profile: CpuProfile, options: ProfileOptions): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const lineOwner = options.bundleMap ? moduleByLine(options.bundleMap.code) : undefined;
  const bundleUrl = options.bundleMap ? `file://${options.bundleMap.path}` : undefined;
  const fileOfNode = (node: ProfileNode): string => {
    const { functionName, url, lineNumber } = node.callFrame;
    return url === bundleUrl && lineOwner ? (lineOwner[lineNumber] ?? "(bundle)") : fileOf(url, functionName);
  };
  const nameOfNode = (node: ProfileNode, file: string): string => {
    const { functionName, url, lineNumber } = node.callFrame;
    return url === "" ? functionName : `${functionName || "(anonymous)"} (${file}${url === bundleUrl ? "" : `:${lineNumber + 1}`})`;
  };
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === "(idle)") return;
    // A sample's time is the gap to the next one (the last one gets the nominal interval).
    const us = profile.timeDeltas[i + 1] ?? SAMPLE_INTERVAL_US;
    const file = fileOfNode(node);
    total += us;
    byFile.set(file, (byFile.get(file) ?? 0) + us);
    const fn = nameOfNode(node, file);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    if (options.inclusive) {
      // Each workspace function on the stack once, however deep its recursion.
      const seen = new Set<string>();
      for (let at: ProfileNode | undefined = node; at; at = byId.get(parentOf.get(at.id) ?? -1)) {
        const atFile = fileOfNode(at);
        if (!atFile.startsWith("packages/")) continue;
        const name = nameOfNode(at, atFile);
        if (seen.has(name)) continue;
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
  });
  const top = (map: Map<string, number>, count: number): string =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([what, us]) => `\`${what}\` ${((100 * us) / total).toFixed(0)}% (${(us / 1000).toFixed(1)} ms)`)
      .join(", ");
  const lines = [
    `*Where the time goes, ${title}* (${options.selfProfiling ? "CPU profile of the timed rounds" : "`--cpu-prof`"}, ${(total / 1000).toFixed(0)} ms of CPU sampled, self time): ` +
      `by file: ${top(byFile, options.files)}; by function: ${top(byFunction, options.functions)}.`,
  ];
  if (options.inclusive) lines.push(`Stratus's own functions by total time (callees included): ${top(inclusive, options.inclusive)}.`);
  return lines;
}

/** A file's name for the report: repo paths, package names, or `node:…` for Node's own. */
function fileOf(url: string, functionName: string): string {
  if (url === "") return functionName; // (program), (garbage collector), native code
  if (url.startsWith("node:")) return url.replace(/^node:internal\//, "node:");
  if (url.startsWith("file://")) return packageOf(fileURLToPath(url));
  return url;
}

/** For each line of an unminified esbuild bundle, the module whose code it is. */
function moduleByLine(code: string): string[] {
  const owners: string[] = [];
  let current = "(bundle)";
  const header = /^\/\/ (\S+\.(?:[cm]?js|[cm]?ts|json))$/;
  for (const line of code.split("\n")) {
    const match = header.exec(line.trim());
    if (match?.[1]) current = packageOf(match[1]);
    owners.push(current);
  }
  return owners;
}
