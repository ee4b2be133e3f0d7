import { statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../errors.js";
import type { StaticMount } from "../static/staticFiles.js";
import { parseTarget } from "../target/parseTarget.js";
import type { TargetSpec } from "../target/parseTarget.js";

/** Everything the command line asks for, validated. */
export interface CliOptions {
  host: string;
  port: number;
  /** True when the port came from --port or PORT: then a taken port is an error, not a reason to try the next one. */
  portExplicit: boolean;
  reload: boolean;
  validate: boolean;
  staticMounts: StaticMount[];
  watchGlobs: string[];
  target: TargetSpec;
  /** The TARGET as typed, for the banner and for child processes. */
  targetText: string;
}

/** What the command line resolves to: serve, or print help/version. */
export type CliCommand = { kind: "serve"; options: CliOptions } | { kind: "help" } | { kind: "version" };

export const USAGE = `Usage: tsgi-dev [options] TARGET

Serve a TSGI app for development, reloading it when its files change.

TARGET is path/to/module[:export]: a .ts or .js module; the default export
unless an export is named; module:createApp() calls a factory.

Options:
  --host HOST          interface to bind (default 127.0.0.1, or $HOST)
  --port PORT          port to bind, 0 for any free port (default 8000, or $PORT;
                       without either, a taken 8000 moves on to 8001, 8002, ...)
  --no-reload          do not watch files nor restart the app
  --no-validate        do not wrap the app in the tsgi validator
  --static PREFIX=DIR  serve files in DIR under the URL PREFIX (repeatable)
  --watch GLOB         also restart when files matching GLOB change (repeatable)
  -h, --help           show this help
  -v, --version        show the version
`;

/**
 * Parses `tsgi-dev` arguments (and the `PORT`/`HOST` environment variables,
 * which options override). Throws `UsageError` with a one-line message.
 *
 * @example
 * parseCliArguments(["--port", "0", "src/app.ts:app"], {}, process.cwd());
 */
export function parseCliArguments(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      allowNegative: true,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        reload: { type: "boolean", default: true },
        validate: { type: "boolean", default: true },
        static: { type: "string", multiple: true, default: [] },
        watch: { type: "string", multiple: true, default: [] },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    });
  } catch (error) {
    // parseArgs' messages are long and mention its own API; keep the useful first sentence.
    const message = error instanceof Error ? (error.message.split(/\.\s/)[0] ?? error.message) : String(error);
    throw new UsageError(`${message.replace(/^Unknown option/, "unknown option")} (see tsgi-dev --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  if (positionals.length === 0) throw new UsageError("missing TARGET (usage: tsgi-dev [options] path/to/module[:export])");
  if (positionals.length > 1) throw new UsageError(`expected one TARGET, got ${positionals.length}: ${positionals.join(" ")}`);
  const targetText = positionals[0] as string;
  return {
    kind: "serve",
    options: {
      host: parseHost(values.host ?? (env.HOST || undefined) ?? "127.0.0.1"),
      // An empty PORT (`PORT= pnpm dev`) is no choice at all, as for HOST.
      port: parsePort(values.port ?? (env.PORT || undefined) ?? "8000", values.port === undefined && env.PORT ? "PORT" : "--port"),
      portExplicit: values.port !== undefined || Boolean(env.PORT),
      reload: values.reload,
      validate: values.validate,
      staticMounts: values.static.map((spec) => parseStaticMount(spec, cwd)),
      watchGlobs: values.watch,
      target: parseTarget(targetText),
      targetText,
    },
  };
}

function parseHost(host: string): string {
  const trimmed = host.trim().replace(/^\[(.*)\]$/, "$1");
  if (trimmed === "" || /[\s/]/.test(trimmed)) throw new UsageError(`invalid host "${host}" (expected e.g. 127.0.0.1, 0.0.0.0 or ::1)`);
  return trimmed;
}

function parsePort(text: string, source: string): number {
  const port = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`invalid ${source} "${text}" (expected an integer from 0 to 65535)`);
  }
  return port;
}

function parseStaticMount(spec: string, cwd: string): StaticMount {
  const equals = spec.indexOf("=");
  if (equals === -1) throw new UsageError(`invalid --static "${spec}" (expected PREFIX=DIR, e.g. /static=public)`);
  const prefix = spec.slice(0, equals).trim();
  const directory = resolve(cwd, spec.slice(equals + 1).trim());
  if (!prefix.startsWith("/")) throw new UsageError(`invalid --static prefix "${prefix}" (it must start with /, e.g. /static=public)`);
  let isDirectory = false;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) throw new UsageError(`--static ${prefix}: ${directory} is not a directory`);
  return { prefix, directory };
}
