import { startLifespan } from "tsgi";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { AppLoadError, EXIT_CODES, exitCodeOf } from "../errors.js";
import { formatBanner } from "../log/banner.js";
import { colorsFor } from "../log/colors.js";
import type { Colors } from "../log/colors.js";
import type { TextSink } from "../log/errorLog.js";
import { loadErrorText } from "../reload/failureReport.js";
import { presentLoadError } from "../reload/loadErrorLocation.js";
import { Supervisor } from "../reload/supervisor.js";
import { createDevHttpServer } from "../server/devHttpServer.js";
import { listenOn, portFallback, urlFor } from "../server/listen.js";
import { loadApplication } from "../target/loadApplication.js";
import { describeTarget } from "../target/parseTarget.js";
import { parseCliArguments, USAGE } from "./options.js";
import type { CliOptions } from "./options.js";
import { describeError } from "tsgi/helpers";

/** The process-level things the CLI uses, injectable for tests. */
export interface CliIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: TextSink & { isTTY?: boolean };
  stderr: TextSink & { isTTY?: boolean };
  /** Registers a handler for SIGINT and SIGTERM. */
  onSignal(handler: (signal: NodeJS.Signals) => void): void;
}

/** A running server started by the CLI, stoppable once. */
interface Running {
  stop(): Promise<void>;
  kill(): void;
}

/**
 * Runs `tsgi-dev`: parses the arguments, starts the server (supervised with
 * autoreload, or in-process with `--no-reload`) and resolves with the exit code
 * once it has stopped. Errors a user can fix print as one `tsgi-dev: ...` line.
 *
 * @example
 * process.exitCode = await runCli({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), ... });
 */
export async function runCli(io: CliIo): Promise<number> {
  const stderrColors = colorsFor(io.stderr, io.env);
  try {
    const command = parseCliArguments(io.argv, io.env, io.cwd);
    if (command.kind === "help") {
      io.stdout.write(USAGE);
      return EXIT_CODES.ok;
    }
    if (command.kind === "version") {
      io.stdout.write(`${readVersion()}\n`);
      return EXIT_CODES.ok;
    }
    const options = command.options;
    const stdoutColors = colorsFor(io.stdout, io.env);
    const running = options.reload ? await startSupervised(options, io, stdoutColors, stderrColors) : await startInProcess(options, io, stdoutColors, stderrColors);
    return await untilSignalled(io, running);
  } catch (error) {
    const exitCode = exitCodeOf(error);
    if (exitCode !== undefined) {
      io.stderr.write(`${stderrColors.red("tsgi-dev:")} ${(error as Error).message}\n`);
      // The one line above already says the message: the report goes on from where the error is.
      if (error instanceof AppLoadError && error.cause instanceof Error) io.stderr.write(loadErrorText(error.cause).split("\n").slice(1).join("\n"));
      return exitCode;
    }
    io.stderr.write(`${stderrColors.red("tsgi-dev: unexpected error:")} ${describeError(error)}\n`);
    return EXIT_CODES.unexpected;
  }
}

async function startSupervised(options: CliOptions, io: CliIo, stdoutColors: Colors, stderrColors: Colors): Promise<Running> {
  const supervisor = await Supervisor.start({ ...options, cwd: io.cwd, stdout: io.stdout, stdoutColors, stderr: io.stderr, stderrColors });
  printBanner(io, options, supervisor.url, stdoutColors);
  return { stop: () => supervisor.stop(), kill: () => supervisor.kill() };
}

async function startInProcess(options: CliOptions, io: CliIo, stdoutColors: Colors, stderrColors: Colors): Promise<Running> {
  process.env.TSGI_DEV = "1"; // as the app processes of autoreload get it (see AppProcess)
  const app = await loadApplication(options.target, { cwd: io.cwd }).catch((error: unknown) => {
    // Without autoreload there is nothing to recover with: report the load error and stop.
    // As under autoreload: the message without esbuild's preamble ("cannot load app.ts: Unexpected \";\""), then the code.
    throw exitCodeOf(error) !== undefined ? error : new AppLoadError(options.target.modulePath, error instanceof Error ? presentLoadError(error) : error);
  });
  const lifespan = await startLifespan(app); // a failing start-up stops tsgi-dev, as a failing import does
  const server = createDevHttpServer(app, {
    state: lifespan.state,
    validate: options.validate,
    staticMounts: options.staticMounts,
    stdout: io.stdout,
    stdoutColors,
    stderr: io.stderr,
    stderrColors,
  });
  await listenOn(server.httpServer, options.host, options.port, portFallback({ portExplicit: options.portExplicit, stdout: io.stdout }));
  printBanner(io, options, urlFor(options.host, (server.httpServer.address() as AddressInfo).port), stdoutColors);
  return { stop: () => server.drain().then(() => lifespan.shutdown()), kill: () => server.httpServer.closeAllConnections() };
}

function printBanner(io: CliIo, options: CliOptions, url: string, colors: Colors): void {
  const banner = formatBanner(
    // TSGI_DEV_SHOWN_TARGET: a wrapper (the framework's `manage runserver`) names the user's module, not its own.
    { url, target: io.env.TSGI_DEV_SHOWN_TARGET || describeTarget(options.target), reload: options.reload, validate: options.validate, staticMounts: options.staticMounts },
    colors,
  );
  io.stdout.write(banner + "\n");
}

/** Serves until SIGINT/SIGTERM: the first stops gracefully, a second one stops at once. */
function untilSignalled(io: CliIo, running: Running): Promise<number> {
  return new Promise((resolve) => {
    let signalled = false;
    io.onSignal(() => {
      if (signalled) {
        running.kill();
        resolve(EXIT_CODES.unexpected);
        return;
      }
      signalled = true;
      // Said at once, so a developer whose request is still streaming knows why the server has not exited yet.
      io.stdout.write("Stopping: letting in-flight requests finish (Ctrl-C again to stop at once)\n");
      void running.stop().then(() => resolve(EXIT_CODES.ok));
    });
  });
}

function readVersion(): string {
  const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };
  return pkg.version;
}
