// Install size: what `npm install` puts in node_modules for an application that needs S3
// only, each peer in its own new folder outside the repo:
//   Stratus      @stratus/core + @stratus/s3, built and packed with `pnpm pack` (the
//                tarballs a registry would serve), then npm-installed
//   AWS SDK v3   @aws-sdk/client-s3
//   aws-lite     @aws-lite/client + @aws-lite/s3
//   raw undici   undici
// at the versions pinned in the root package.json. Quick mode (the smoke test) installs
// nothing: it adds up the same packages as pnpm installed them in this repo.
// Usage: node scripts/bench/install.ts   (or `pnpm bench`)
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PEERS, progress, publish, QUICK, ROOT, type Figure, type PeerId } from "./lib/common.ts";
import { largestPackages, npmInstall, packStratus, pinned, storeClosure, treeSize, type TreeSize } from "./lib/installs.ts";

const S3_APP: Readonly<Record<PeerId, readonly string[]>> = {
  stratus: ["@stratus/core", "@stratus/s3"],
  "aws-sdk-v3": ["@aws-sdk/client-s3"],
  "aws-lite": ["@aws-lite/client", "@aws-lite/s3"],
  undici: ["undici"],
};

const work = mkdtempSync(join(tmpdir(), "stratus-bench-install-"));
try {
  const sizes: Partial<Record<PeerId, TreeSize | null>> = {};
  const details: string[] = [];
  const notes: Partial<Record<PeerId, string>> = {};
  if (QUICK) {
    for (const peer of PEERS) sizes[peer.id] = storeClosure(ROOT, S3_APP[peer.id]);
  } else {
    progress("building and packing @stratus/core and @stratus/s3");
    const tarballs = join(work, "tarballs");
    mkdirSync(tarballs);
    const packed = packStratus(tarballs, ["core", "s3"]);
    for (const peer of PEERS) {
      let specs: readonly string[];
      if (peer.id === "stratus") {
        if (!packed.ok) {
          sizes[peer.id] = null;
          notes[peer.id] = packed.reason;
          continue;
        }
        specs = packed.tarballs;
      } else specs = S3_APP[peer.id].map((name) => `${name}@${pinned(name)}`);
      progress(`npm install for ${peer.id}: ${peer.id === "stratus" ? "the two tarballs" : specs.join(" ")}`);
      const dir = join(work, peer.id);
      mkdirSync(dir);
      try {
        await npmInstall(dir, specs);
        sizes[peer.id] = treeSize(join(dir, "node_modules"));
        if (peer.id === "stratus") {
          const top = largestPackages(join(dir, "node_modules"), 8).map(({ name, bytes }) => `\`${name}\` ${(bytes / 1024).toFixed(0)} KiB`);
          details.push(`Largest packages in Stratus's install: ${top.join(", ")}.`);
        }
      } catch (error) {
        sizes[peer.id] = null;
        notes[peer.id] = `failed: ${String(error).slice(0, 300)}`;
      }
    }
  }

  const figure = (name: string, unit: string, pick: (size: TreeSize) => number): Figure => ({
    name,
    unit,
    better: "lower",
    values: Object.fromEntries(PEERS.map((p) => [p.id, sizes[p.id] ? pick(sizes[p.id] as TreeSize) : null])),
    notes,
  });

  publish("install", {
    title: "Install size",
    method: [
      QUICK
        ? "Quick mode: no install; the packages an S3-only app pulls in, added up as pnpm installed them in this repo (Stratus: its packages' `files`)."
        : "For each peer, a new folder outside the repo and `npm install --ignore-scripts` of what an app that calls S3 needs, at the pinned versions: " +
          "`@aws-sdk/client-s3`; `@aws-lite/client` + `@aws-lite/s3`; `undici` alone (the floor); and for Stratus `@stratus/core` + `@stratus/s3` " +
          "built by `scripts/build.ts` and packed by `pnpm pack` (the tarballs a registry would serve). " +
          "Size is the sum of the files' sizes in `node_modules` (apparent size, not disk blocks).",
    ],
    figures: [
      figure("install size, S3-only app (node_modules)", "MiB", (s) => s.bytes / 1024 / 1024),
      figure("install, packages in node_modules", "packages", (s) => s.packages),
      figure("install, files in node_modules", "files", (s) => s.files),
    ],
    details,
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
