// The transfer manager: one upload of 1 GiB from a stream of unknown length, through each
// peer's upload manager (Stratus's upload(), v3's @aws-sdk/lib-storage Upload, aws-lite's
// S3.Upload), same part size and concurrency, to the loopback server's multipart calls
// (lib/multipart-routes.ts), each peer in a child process of its own (children/upload.mjs).
// Figures: wall time, CPU time of the client process, and its peak RSS above baseline.
// The server adds up the parts each CompleteMultipartUpload lists (aws-chunked framing
// decoded), so an upload that only claims to have happened fails the bench.
// Usage: node scripts/bench/upload.ts   (or `pnpm bench`)
import { join } from "node:path";
import {
  APPS, benchConfig, childEnv, childHome, inPool, numberField, PARALLEL, PEERS, progress, publish, QUICK, runChild, type Figure, type PeerId,
} from "./lib/common.ts";
import { startLoopbackServer } from "./lib/loopback-server.ts";
import { multipartRoutes } from "./lib/multipart-routes.ts";
import { packageVersion } from "./lib/package-version.ts";

const MiB = 1024 * 1024;
const BYTES = QUICK ? 32 * MiB : 1024 * MiB;
const SIZE = QUICK ? "32 MiB (quick mode)" : "1 GiB";
const PART_SIZE = 8 * MiB;
const CONCURRENCY = 4;
/** Every peer runs this many times, the passes interleaved; its best pass counts. */
const PASSES = QUICK ? 1 : 2;

interface Manager {
  readonly app: string;
  /** Run in the first pass only (a run so slow that a second one would add only minutes). */
  readonly onePass?: true;
  /** Why quick mode leaves it out. */
  readonly notQuick?: string;
}

/** Each peer's upload manager, or why it has none. */
const APP: Record<PeerId, Manager | { readonly none: string }> = {
  stratus: { app: "stratus-upload.mjs" },
  "aws-sdk-v3": { app: "aws-sdk-v3-upload.mjs" },
  // Its Upload grows the part being filled by one Buffer.concat per incoming chunk (about
  // 0.5 GiB copied per 8 MiB part of 64 KiB chunks) and reads a fast stream to its end
  // before it sends a part: 0.25–0.4 s of CPU per part here, 30–100 s for 1 GiB.
  "aws-lite": { app: "aws-lite-upload.mjs", onePass: true, notQuick: "not run in quick mode: aws-lite's Upload spends 0.25–0.4 s of CPU per 8 MiB part here (see the method)" },
  undici: { none: "no equivalent: raw undici has no multipart upload manager" },
};

const home = childHome();
const multipart = multipartRoutes();
const server = await startLoopbackServer({ routes: [multipart.route] });
try {
  const env = childEnv(home.home, benchConfig(server.endpoint));
  const time: Partial<Record<PeerId, number | null>> = {};
  const cpu: Partial<Record<PeerId, number | null>> = {};
  const peak: Partial<Record<PeerId, number | null>> = {};
  const rate: Partial<Record<PeerId, number>> = {};
  const notes: Partial<Record<PeerId, string>> = {};
  const best = (figure: Partial<Record<PeerId, number | null>>, id: PeerId, value: number): void => {
    figure[id] = Math.min(figure[id] ?? Infinity, value);
  };
  for (let pass = 1; pass <= PASSES; pass++) {
    await inPool(PEERS, PARALLEL, async (peer) => {
      const manager = APP[peer.id];
      if ("none" in manager) {
        notes[peer.id] = manager.none;
        return;
      }
      if (notes[peer.id] !== undefined) return; // failed in an earlier pass
      if (QUICK && manager.notQuick !== undefined) {
        notes[peer.id] = manager.notQuick;
        return;
      }
      if (pass > 1 && manager.onePass) return;
      progress(`upload() of ${SIZE}: ${peer.id} (pass ${pass}/${manager.onePass ? 1 : PASSES})`);
      const key = `upload-manager-${peer.id}-${pass}`;
      try {
        const result = await runChild("upload.mjs", [join(APPS, manager.app), String(BYTES), key, String(PART_SIZE), String(CONCURRENCY)], env);
        const received = multipart.completed.get(key);
        if (received !== BYTES) throw new Error(`the server holds ${received ?? "no"} completed bytes for ${key}, expected ${BYTES}`);
        best(time, peer.id, numberField(result, "seconds"));
        best(cpu, peer.id, numberField(result, "cpuSeconds"));
        best(peak, peer.id, numberField(result, "peakAboveBaselineMiB"));
        rate[peer.id] = Math.max(rate[peer.id] ?? 0, numberField(result, "mibPerSecond"));
      } catch (error) {
        notes[peer.id] = `failed: ${String(error).split("\n").slice(0, 3).join(" ").slice(0, 300)}`;
      }
    });
  }
  // A peer without a value in every pass has none.
  for (const id of Object.keys(notes) as PeerId[]) {
    time[id] = null;
    cpu[id] = null;
    peak[id] = null;
    delete rate[id];
  }

  const figures: Figure[] = [
    { name: "upload() 1 GiB, time", unit: "s", better: "lower", values: time, notes },
    { name: "upload() 1 GiB, CPU time", unit: "s", better: "lower", values: cpu, notes },
    { name: "upload() 1 GiB, peak RSS above baseline", unit: "MiB", better: "lower", values: peak, notes },
  ];
  const rates = PEERS.filter((p) => rate[p.id] !== undefined).map((p) => `${p.label} ${(rate[p.id] ?? 0).toFixed(0)}`);
  publish("upload", {
    title: "Transfer manager: upload()",
    method: [
      `One child process per peer (\`scripts/bench/children/upload.mjs\`) uploads ${SIZE} through its library's upload manager: ` +
        "Stratus's `upload(s3, { Bucket, Key, Body }, { partSize, concurrency })`, the v3 SDK's `new Upload({ client, params, partSize, queueSize }).done()` " +
        `(@aws-sdk/lib-storage ${packageVersion("@aws-sdk/lib-storage")}), aws-lite's \`S3.Upload({ …, ChunkSize, Concurrency })\`. ` +
        `All with ${PART_SIZE / MiB} MiB parts, ${CONCURRENCY} at a time, and the same body: a Node \`Readable\` of one reused 64 KiB chunk ` +
        "with no length given, so each manager must cut the stream into parts itself. " +
        `Each peer runs ${PASSES} time(s), interleaved with the others; its best run counts, figure by figure. ` +
        "aws-lite runs once, and not in quick mode: its Upload grows the part being filled with one `Buffer.concat` per incoming chunk " +
        "(about 0.5 GiB copied for each 8 MiB part made of 64 KiB chunks), and from a stream this fast it reads the whole body before its timer-driven queue sends a part, " +
        "so its run takes many times longer and holds the whole object in memory.",
      "The loopback server answers CreateMultipartUpload, UploadPart, CompleteMultipartUpload and AbortMultipartUpload (`scripts/bench/lib/multipart-routes.ts`). " +
        "It decodes `aws-chunked` bodies (counting the payload, not the framing) and echoes each part's checksum as S3 does, so every peer runs with its default " +
        "checksum settings (Stratus and the v3 SDK send a CRC32 of each part in a header; over plain http, as here, they also hash each part with SHA-256 for the signature). " +
        "CompleteMultipartUpload is refused unless every listed part arrived, in order, and all but the last have at least 5 MiB; " +
        "the bench fails unless the completed object has exactly the bytes sent.",
      "Time is the upload's wall clock; CPU time is `process.cpuUsage()` (user + system) of the client process over the upload, " +
        "so it is the library's own work (copying the stream into parts, checksums, signing, HTTP) and not the server's. " +
        "Peak RSS is above the process's RSS after a first 1 KiB upload through the same call (the kernel's `maxRSS`, else the highest RSS sampled every 10 ms). " +
        `Holding ${CONCURRENCY} parts in flight and one being filled is ${(CONCURRENCY + 1) * (PART_SIZE / MiB)} MiB.`,
    ],
    figures,
    details: rates.length > 0 ? [`Transfer rate, MiB/s (best run): ${rates.join(", ")}.`] : [],
  });
} finally {
  await server.close();
  home.dispose();
}
