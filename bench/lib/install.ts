import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import ts from "typescript";
import { APPS, installedIn, PROD_DIR, ROOT, type InstalledPaths } from "./paths.js";

/**
 * The packages the installed rows need. @tsgi/framework depends on @tsgi/dev-server: without
 * its tarball npm would look for that version on the registry.
 */
const PACKAGES = ["tsgi", "@tsgi/dev-server", "@tsgi/worker-server", "@tsgi/framework"];

/** The bench apps compiled to .mjs next to the installed packages (as a user's build would). */
const COMPILED_APPS = ["tsgi_bench.ts", "framework_site.ts", "ws_echo.ts"];

/** Options for {@link prepareInstalledTsgi}. */
export interface PrepareOptions {
  /** Where progress lines go (default: console.log). */
  log?: (line: string) => void;
  /**
   * Install for another Node binary (`pnpm bench --node 24`): reuse the tarballs of an earlier
   * call and run npm with this Node first on PATH into OTHER_NODE_PROD_DIR, so native modules
   * are built for its ABI.
   */
  node?: string;
  /** The install folder (default PROD_DIR). */
  dir?: string;
  /**
   * Keep an existing install (`pnpm bench --reuse-install`): only the apps are compiled again. For
   * iterating on the bench itself; the packages measured are then those of the last full preparation.
   */
  reuse?: boolean;
}

/** What {@link prepareInstalledTsgi} made, and how long each step took. */
export interface InstalledTsgi extends InstalledPaths {
  /** Seconds per step, in order. */
  steps: [string, number][];
  seconds: number;
}

/** A preparation step that failed: names the step and the command's own output. */
export class PrepareError extends Error {
  override name = "PrepareError";
}

function run(step: string, command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
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
function compileApp(file: string, dir: string): void {
  const source = readFileSync(join(APPS, file), "utf8");
  const output = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) throw new PrepareError(`compiling bench/apps/${file} failed: ${ts.flattenDiagnosticMessageText(errors[0]?.messageText ?? "", "\n")}`);
  writeFileSync(join(dir, basename(file, ".ts") + ".mjs"), output.outputText);
}

/** Compiles every bench app into `dir`, the templates copied alongside (where framework_site finds them). */
function compileApps(dir: string): void {
  for (const file of COMPILED_APPS) compileApp(file, dir);
  cpSync(join(APPS, "templates"), join(dir, "templates"), { recursive: true });
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
  const dir = options.dir ?? PROD_DIR;
  const packs = join(PROD_DIR, "packs");
  const steps: [string, number][] = [];
  const started = performance.now();
  const step = (name: string, work: () => void) => {
    const t0 = performance.now();
    work();
    steps.push([name, (performance.now() - t0) / 1000]);
  };
  // npm (a node script) run by the other Node: its install scripts build native modules for that Node's ABI.
  const env = options.node ? { ...process.env, PATH: `${dirname(options.node)}:${process.env.PATH ?? ""}` } : undefined;
  if (options.reuse && existsSync(installedIn(dir).workerBin)) {
    step("compile apps", () => compileApps(dir));
    log(`reusing the installed tsgi in ${dir} (--reuse-install: the packages of the last preparation, the apps compiled again)`);
    return { ...installedIn(dir), steps, seconds: (performance.now() - started) / 1000 };
  }
  log(`preparing installed tsgi in ${dir} (${options.node ? `npm install and compile apps for ${options.node}` : "build, pack, npm install, compile apps"})`);
  if (!options.node) {
    // Through turbo, whose cache (outputs dist/**) makes a rebuild of unchanged sources instant.
    step("build", () => run("build", "pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only", ...PACKAGES.map((name) => `--filter=${name}`)], ROOT));
    step("pack", () => {
      rmSync(packs, { recursive: true, force: true });
      mkdirSync(packs, { recursive: true });
      run("pack", "pnpm", [...filters(), "pack", "--pack-destination", packs], ROOT);
    });
  }
  step("npm install", () => {
    mkdirSync(dir, { recursive: true });
    for (const stale of ["node_modules", "package-lock.json"]) rmSync(join(dir, stale), { recursive: true, force: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "tsgi-bench-prod", private: true, type: "module" }, null, 2) + "\n");
    const tarballs = existsSync(packs) ? readdirSync(packs).filter((f) => f.endsWith(".tgz")).map((f) => join(packs, f)) : [];
    if (tarballs.length !== PACKAGES.length) throw new PrepareError(`found ${tarballs.length} tarballs in ${packs}, expected ${PACKAGES.length} (${PACKAGES.join(", ")})`);
    run("npm install", "npm", ["install", "--no-audit", "--no-fund", ...tarballs], dir, env);
  });
  step("compile apps", () => compileApps(dir));
  const seconds = (performance.now() - started) / 1000;
  log(`prepared installed tsgi in ${seconds.toFixed(1)} s (${steps.map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(", ")})`);
  return { ...installedIn(dir), steps, seconds };
}
