/**
 * The bench's two outputs, written by index.ts from every bench file's section:
 *
 *   bench/results.json   machine, versions, and one object per figure:
 *                        { name, unit, better, stratus, "aws-sdk-v3", "aws-lite", undici, notes? }
 *                        (a value is null where a peer was not measured; notes say why)
 *   BENCHMARKS.md        the same for people: machine, versions, method, every figure with
 *                        Stratus's ratio to each peer, and the project's targets met or missed
 *
 * Both are generated: edit this file or the bench files, never the outputs.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem, type as osType } from "node:os";
import { join } from "node:path";
import { formatValue, PEER_IDS, PEERS, ROOT, type Figure, type PeerId, type Section } from "./common.ts";

/** The sections in reading order; a section not listed here comes after them. */
const ORDER = ["bundle", "cold-start", "throughput", "memory", "install"];

interface Target {
  readonly figure: string;
  readonly text: string;
  /** true when met; null when a value is missing. */
  readonly check: (values: Figure["values"]) => boolean | null;
  readonly measured: (values: Figure["values"]) => string;
}

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  typeof a === "number" && typeof b === "number" && b !== 0 ? a / b : null;

function atMost(peer: PeerId, factor: number): Pick<Target, "check" | "measured"> {
  return {
    check: (v) => {
      const r = ratio(v.stratus, v[peer]);
      return r === null ? null : r <= factor;
    },
    measured: (v) => showRatio(ratio(v.stratus, v[peer]), peer),
  };
}

function atLeast(peer: PeerId, factor: number): Pick<Target, "check" | "measured"> {
  return {
    check: (v) => {
      const r = ratio(v.stratus, v[peer]);
      return r === null ? null : r >= factor;
    },
    measured: (v) => showRatio(ratio(v.stratus, v[peer]), peer),
  };
}

function showRatio(r: number | null, peer: PeerId): string {
  const label = PEERS.find((p) => p.id === peer)?.label ?? peer;
  return r === null ? "not measured" : `${r.toFixed(2)}× ${label}`;
}

/** The project's targets (issue "Fast and small, measured"). */
const TARGETS: readonly Target[] = [
  { figure: "bundle size, node, minified + gzip", text: "bundle (node) ≤ 1/5 of v3", ...atMost("aws-sdk-v3", 0.2) },
  { figure: "bundle size, browser/worker, minified + gzip", text: "bundle (browser/worker) ≤ 1/5 of v3", ...atMost("aws-sdk-v3", 0.2) },
  ...["S3 GetObject", "DynamoDB GetItem"].flatMap((op) =>
    ["bundled", "unbundled"].flatMap((variant) => [
      { figure: `cold start, ${op} (${variant})`, text: `cold start ${op} (${variant}) ≤ 1/2 of v3`, ...atMost("aws-sdk-v3", 0.5) },
      { figure: `cold start, ${op} (${variant})`, text: `cold start ${op} (${variant}) ≤ aws-lite`, ...atMost("aws-lite", 1) },
    ]),
  ),
  ...["S3 GetObject 1 KiB", "DynamoDB GetItem"].flatMap((op) => [
    { figure: `throughput, ${op}, 32 concurrent`, text: `throughput ${op} ≥ 1.5× v3`, ...atLeast("aws-sdk-v3", 1.5) },
    { figure: `throughput, ${op}, 32 concurrent`, text: `throughput ${op} ≥ 0.8× raw undici`, ...atLeast("undici", 0.8) },
  ]),
  ...["GetObject", "PutObject"].map((op) => ({
    figure: `peak RSS above baseline, ${op} 1 GiB streamed`,
    text: `peak RSS, ${op} 1 GiB ≤ 64 MiB above baseline`,
    check: (v: Figure["values"]) => (typeof v.stratus === "number" ? v.stratus <= 64 : null),
    measured: (v: Figure["values"]) => (typeof v.stratus === "number" ? `${v.stratus.toFixed(1)} MiB` : "not measured"),
  })),
  { figure: "install size, S3-only app (node_modules)", text: "install (S3 only) ≤ 1/5 of v3", ...atMost("aws-sdk-v3", 0.2) },
];

export interface ReportInput {
  readonly sections: ReadonlyMap<string, Section>;
  readonly quick: boolean;
  readonly seconds: number;
}

export function writeReport(input: ReportInput, outDir: string, markdownPath: string): void {
  const sections = [...input.sections].sort(([a], [b]) => rank(a) - rank(b)).map(([, section]) => section);
  const figures = sections.flatMap((s) => s.figures);
  const machine = machineFacts();
  const versions = peerVersions();
  const generated = new Date().toISOString();

  const results = {
    generated,
    quick: input.quick,
    machine,
    versions,
    peers: Object.fromEntries(PEERS.map((p) => [p.id, p.label])),
    figures: figures.map((f) => ({
      name: f.name,
      unit: f.unit,
      better: f.better,
      ...Object.fromEntries(PEER_IDS.map((id) => [id, round(f.values[id] ?? null)])),
      ...(f.notes && Object.keys(f.notes).length > 0 ? { notes: f.notes } : {}),
    })),
  };
  writeFileSync(join(outDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(markdownPath, markdown(sections, figures, { ...input, machine, versions, generated }));
}

function rank(name: string): number {
  const at = ORDER.indexOf(name);
  return at < 0 ? ORDER.length : at;
}

function round(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Number(value.toPrecision(6));
}

interface Facts {
  readonly machine: Record<string, string | number>;
  readonly versions: Record<string, string>;
  readonly generated: string;
  readonly quick: boolean;
  readonly seconds: number;
}

function markdown(sections: readonly Section[], figures: readonly Figure[], facts: Facts): string {
  const out: string[] = [];
  out.push("# Benchmarks", "");
  out.push(
    "Generated by `pnpm bench` (scripts/bench/; the apps it measures are in bench/apps/, the figures also in bench/results.json). " +
      "Do not edit by hand: run the bench again.",
    "",
  );
  if (facts.quick) out.push("**Quick mode (`STRATUS_BENCH_QUICK=1`): one run each and small sizes. These figures only prove the bench runs; do not quote them.**", "");
  out.push(`Run ${facts.generated.slice(0, 16).replace("T", " ")} UTC, in ${Math.round(facts.seconds)} s.`, "");

  out.push("## Machine", "");
  for (const [key, value] of Object.entries(facts.machine)) out.push(`- ${key}: ${value}`);
  out.push("", "## Versions", "");
  out.push("| package | version |", "| --- | --- |");
  for (const [name, version] of Object.entries(facts.versions)) out.push(`| \`${name}\` | ${version} |`);
  out.push("");

  out.push("## Targets", "");
  if (facts.quick) out.push("Not judged in quick mode.", "");
  else {
    out.push("| target | measured | met |", "| --- | --- | --- |");
    for (const target of TARGETS) {
      const figure = figures.find((f) => f.name === target.figure);
      const met = figure ? target.check(figure.values) : null;
      out.push(`| ${target.text} | ${figure ? target.measured(figure.values) : "not measured"} | ${met === null ? "—" : met ? "yes" : "**no**"} |`);
    }
    out.push("");
  }
  out.push(
    "Ratios are Stratus ÷ peer: below 1 means Stratus's number is smaller. Whether smaller is better is said per figure (*lower is better* or *higher is better*).",
    "",
  );

  for (const section of sections) {
    out.push(`## ${section.title}`, "");
    for (const paragraph of section.method) out.push(paragraph, "");
    const others = PEERS.filter((p) => p.id !== "stratus");
    out.push(
      `| figure | unit | ${PEERS.map((p) => p.label).join(" | ")} | ${others.map((p) => `Stratus ÷ ${p.label}`).join(" | ")} |`,
      `| --- | --- | ${PEERS.map(() => "---:").join(" | ")} | ${others.map(() => "---:").join(" | ")} |`,
    );
    const footnotes: string[] = [];
    for (const figure of section.figures) {
      const cells = PEERS.map((p) => {
        const note = figure.notes?.[p.id];
        let mark = "";
        if (note) {
          let at = footnotes.indexOf(note);
          if (at < 0) at = footnotes.push(note) - 1;
          mark = ` [${at + 1}]`;
        }
        return `${formatValue(figure.values[p.id] ?? null)}${mark}`;
      });
      const ratios = others.map((p) => {
        const r = ratio(figure.values.stratus, figure.values[p.id]);
        return r === null ? "—" : `${r.toFixed(2)}×`;
      });
      out.push(`| ${figure.name} (${figure.better} is better) | ${figure.unit} | ${cells.join(" | ")} | ${ratios.join(" | ")} |`);
    }
    out.push("");
    footnotes.forEach((note, i) => out.push(`[${i + 1}] ${note}`, ""));
    for (const line of section.details ?? []) out.push(line, "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function machineFacts(): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: `${cpu[0]?.model.trim() ?? "unknown"} × ${cpu.length}`,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${osType()} ${release()}`,
    node: process.version,
  };
}

/** Versions of every peer package as installed here, and the Stratus commit measured. */
function peerVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of [...new Set(PEERS.flatMap((p) => p.packages)), "esbuild"]) {
    const manifest = join(ROOT, "node_modules", name, "package.json");
    versions[name] = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version : "not installed";
  }
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["--no-optional-locks", "status", "--porcelain", "--", "packages"], { cwd: ROOT, encoding: "utf8" }).trim() !== "";
    for (const name of Object.keys(versions)) {
      if (name.startsWith("@stratus/")) versions[name] = `${versions[name]} (commit ${commit}${dirty ? " + uncommitted changes" : ""})`;
    }
  } catch {
    // Not a git checkout: the package versions alone.
  }
  return versions;
}
