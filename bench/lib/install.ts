import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import ts from "typescript";
import { APPS, INSTALLED, PROD_DIR, ROOT } from "./paths.js";

/**
 * The packages the installed rows need. @tsgi/framework depends on @tsgi/dev-server: without
 * its tarball npm would look for that version on the registry.
 */
const PACKAGES = ["tsgi", "@tsgi/dev-server", "@tsgi/worker-server", "@tsgi/framework"];

/** The bench apps compiled to .mjs next to the installed packages (as a user's build would). */
const COMPILED_APPS = ["tsgi_bench.ts", "framework_site.ts"];

/** Options for {@link prepareInstalledTsgi}. */
export interface PrepareOptions {
  /** Where progress lines go (default: console.log). */
  log?: (line: string) => void;
}

/** What {@link prepareInstalledTsgi} made, and how long each step took. */
export interface InstalledTsgi {
  /** The installed tsgi-worker bin (published package: runs its dist/, no tsx for a .mjs app). */
  workerBin: string;
  /** `file:export` targets of the compiled apps. */
  helloApp: string;
  frameworkApp: string;
  /** Seconds per step, in order. */
  steps: [string, number][];
  seconds: number;
}

/** A preparation step that failed: names the step and the command's own output. */
export class PrepareError extends Error {
  override name = "PrepareError";
}

function run(step: string, command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new PrepareError(`${step}: cannot run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-30).join("\n");
    throw new PrepareError(`${step} failed: \`${command} ${args.join(" ")}\` (in ${cwd}) exited with ${result.status ?? result.signal}\n${output}`);
  }
}

function filters(): string[] {
  return PACKAGES.flatMap((name) => ["--filter", name]);
}

/** Transpiles one app to ESM JavaScript, types erased and nothing else rewritten. */
function compileApp(file: string): void {
  const source = readFileSync(join(APPS, file), "utf8");
  const output = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) throw new PrepareError(`compiling bench/apps/${file} failed: ${ts.flattenDiagnosticMessageText(errors[0]?.messageText ?? "", "\n")}`);
  writeFileSync(join(PROD_DIR, basename(file, ".ts") + ".mjs"), output.outputText);
}

/**
 * Installs tsgi the way a user gets it: builds the packages' dist/, packs them with pnpm
 * (publishConfig applied, workspace: ranges pinned) into bench/.prod/packs, installs the
 * tarballs with npm into bench/.prod (a private ESM project), and compiles the bench apps to
 * .mjs there (templates copied alongside, where framework_site finds them). Every run starts
 * from a clean node_modules so a stale install cannot be measured. Throws PrepareError
 * naming the failed step.
 *
 * @example
 * const installed = prepareInstalledTsgi();
 * startProcess(process.execPath, [installed.workerBin, "-w", "2", "-b", "127.0.0.1:8000", installed.helloApp]);
 */
export function prepareInstalledTsgi(options: PrepareOptions = {}): InstalledTsgi {
  const log = options.log ?? console.log;
  const packs = join(PROD_DIR, "packs");
  const steps: [string, number][] = [];
  const started = performance.now();
  const step = (name: string, work: () => void) => {
    const t0 = performance.now();
    work();
    steps.push([name, (performance.now() - t0) / 1000]);
  };
  log(`preparing installed tsgi in ${PROD_DIR} (build, pack, npm install, compile apps)`);
  // Through turbo, whose cache (outputs dist/**) makes a rebuild of unchanged sources instant.
  step("build", () => run("build", "pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only", ...PACKAGES.map((name) => `--filter=${name}`)], ROOT));
  step("pack", () => {
    rmSync(packs, { recursive: true, force: true });
    mkdirSync(packs, { recursive: true });
    run("pack", "pnpm", [...filters(), "pack", "--pack-destination", packs], ROOT);
  });
  step("npm install", () => {
    for (const stale of ["node_modules", "package-lock.json"]) rmSync(join(PROD_DIR, stale), { recursive: true, force: true });
    writeFileSync(join(PROD_DIR, "package.json"), JSON.stringify({ name: "tsgi-bench-prod", private: true, type: "module" }, null, 2) + "\n");
    const tarballs = readdirSync(packs).filter((f) => f.endsWith(".tgz")).map((f) => join(packs, f));
    if (tarballs.length !== PACKAGES.length) throw new PrepareError(`pack made ${tarballs.length} tarballs in ${packs}, expected ${PACKAGES.length} (${PACKAGES.join(", ")})`);
    run("npm install", "npm", ["install", "--no-audit", "--no-fund", ...tarballs], PROD_DIR);
  });
  step("compile apps", () => {
    for (const file of COMPILED_APPS) compileApp(file);
    cpSync(join(APPS, "templates"), join(PROD_DIR, "templates"), { recursive: true });
  });
  const seconds = (performance.now() - started) / 1000;
  log(`prepared installed tsgi in ${seconds.toFixed(1)} s (${steps.map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(", ")})`);
  return { ...INSTALLED, steps, seconds };
}
