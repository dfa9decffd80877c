// The API reference: TypeDoc over every published entry point (typedoc.json), written to
// docs/api/ (gitignored). Usage: node scripts/docs.ts   (or `pnpm docs`)
//
// `buildApiReference` is also what test/docs/api-reference.test.ts runs, with link
// validation on and warnings counted as errors, so a broken {@link} fails the tests.
import { promises as fsp } from "node:fs";
import { join } from "node:path";
import { Application, Converter, Logger, LogLevel, ReflectionKind, type TypeDocOptions } from "typedoc";

const ROOT = join(import.meta.dirname, "..");

export interface ApiReferenceOptions {
  /** Entry points (relative to the repo root); typedoc.json's when absent. */
  readonly entryPoints?: readonly string[] | undefined;
  /** Where the HTML goes; nothing is written when absent (convert and validate only). */
  readonly out?: string | undefined;
  /** Echo TypeDoc's messages as they come (the command line does; the test collects them). */
  readonly echo?: boolean | undefined;
}

export interface ApiReferenceResult {
  /** Every warning and error TypeDoc reported, in order. */
  readonly problems: readonly string[];
  /** The modules documented, by package name ("@stratus/s3", "@stratus/core/testing"…). */
  readonly modules: readonly string[];
  /** How many reflections (classes, functions, types, members…) the reference holds. */
  readonly reflections: number;
}

/** Keeps warnings and errors; with `echo`, prints everything from info up as well. */
class CollectingLogger extends Logger {
  readonly problems: string[] = [];
  readonly #echo: boolean;
  constructor(echo: boolean) {
    super();
    this.#echo = echo;
  }
  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.problems.push(message);
    if (this.#echo && level >= LogLevel.Info) (level >= LogLevel.Warn ? console.error : console.log)(message);
  }
}

export async function buildApiReference(options: ApiReferenceOptions = {}): Promise<ApiReferenceResult> {
  const overrides: TypeDocOptions = { options: join(ROOT, "typedoc.json"), tsconfig: join(ROOT, "tsconfig.json") };
  if (options.entryPoints) overrides.entryPoints = options.entryPoints.map((p) => join(ROOT, p));
  const app = await Application.bootstrapWithPlugins(overrides);
  const logger = new CollectingLogger(options.echo ?? false);
  app.logger = logger;
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      module.name = packageName(module.name);
    }
  });

  const project = await app.convert();
  if (!project) return { problems: [...logger.problems, "TypeDoc could not convert the project"], modules: [], reflections: 0 };
  app.validate(project);
  const out = options.out;
  if (out !== undefined && logger.problems.length === 0) await withBoundedWrites(() => app.generateDocs(project, out));
  return {
    problems: logger.problems,
    modules: project.getReflectionsByKind(ReflectionKind.Module).map((m) => m.name).sort(),
    reflections: Object.keys(project.reflections).length,
  };
}

/**
 * TypeDoc names a module by its path under the entry points' common folder
 * ("s3/src", "core/src/testing"); readers know it by its import specifier.
 */
function packageName(path: string): string {
  const match = /^(?:packages\/)?([\w-]+)\/src(?:\/(.+?))?(?:\/index)?$/.exec(path);
  if (!match) return path;
  const [, name, subpath] = match;
  return `@stratus/${name}${subpath ? `/${subpath}` : ""}`;
}

/**
 * TypeDoc writes every page at once (one Promise.all over ~20 000 pages for all the service
 * packages), which runs out of file descriptors. While it renders, its writes wait their
 * turn here, a few dozen at a time.
 */
async function withBoundedWrites<T>(work: () => Promise<T>): Promise<T> {
  const writeFile = fsp.writeFile;
  const limit = 64;
  let active = 0;
  const waiting: Array<() => void> = [];
  const bounded: typeof fsp.writeFile = async (...args) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await writeFile(...args);
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
  fsp.writeFile = bounded;
  try {
    return await work();
  } finally {
    fsp.writeFile = writeFile;
  }
}

if (import.meta.main) {
  const started = performance.now();
  const out = join(ROOT, "docs", "api");
  const result = await buildApiReference({ out, echo: true });
  if (result.problems.length > 0) {
    console.error(`API reference: ${result.problems.length} problem(s), listed above`);
    process.exit(1);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`API reference: ${result.modules.length} modules, ${result.reflections} reflections → ${out}/index.html (${seconds} s)`);
}
