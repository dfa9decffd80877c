// A node:test reporter that counts results per area (the folder under a `test/` directory,
// prefixed by its package) and ends with the plain "total: N passed, N failed, N skipped"
// line. Areas print once, after every file has finished.
import { relative, sep } from "node:path";

interface TestEventData { file?: string; skip?: unknown; todo?: unknown; details?: { type?: string } }
interface TestEvent { type: string; data: TestEventData }
interface Counts { passed: number; failed: number; skipped: number }

function areaOf(file: string | undefined): string {
  if (!file) return "(unknown)";
  const parts = relative(process.cwd(), file).split(sep);
  const at = parts.indexOf("test");
  const pkg = parts[0] === "packages" ? parts[1] : "root";
  const below = parts.slice(at + 1, -1);
  return `${pkg}/${below.length ? below.join("/") : "."}`;
}

export default async function* areaReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const areas = new Map<string, Counts>();
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    if (event.data.details?.type === "suite") continue;
    const area = areaOf(event.data.file);
    const counts = areas.get(area) ?? { passed: 0, failed: 0, skipped: 0 };
    areas.set(area, counts);
    if (event.data.skip || event.data.todo) counts.skipped++;
    else if (event.type === "test:pass") counts.passed++;
    else counts.failed++;
  }
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  let out = "\nper-area results\n";
  for (const [area, c] of [...areas].sort(([a], [b]) => a.localeCompare(b))) {
    out += `  ${area.padEnd(28)} ${String(c.passed).padStart(5)} passed  ${String(c.failed).padStart(3)} failed  ${String(c.skipped).padStart(3)} skipped\n`;
    total.passed += c.passed; total.failed += c.failed; total.skipped += c.skipped;
  }
  out += `total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`;
  yield out;
}
