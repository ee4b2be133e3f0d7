import { createRequire } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CgiCommand } from "./cgiRunner.js";
import { CgiEnvironmentError } from "./errors.js";

/** Options for {@link cgiModuleCommand}. */
export interface CgiModuleCommandOptions {
  /** The export holding the app (default: `application`, then the default export). */
  exportName?: string;
  /** Where to look for `tsx` first (default: the working directory; then this package). */
  resolveFrom?: string;
}

// Run from source (tsx, vitest) this file is .ts; from the published build it is .js, and so is runModule.
const RUNNING_FROM_SOURCE = new URL(import.meta.url).pathname.endsWith(".ts");

// The CGI script cgiModuleCommand runs: runModule.ts from the sources, runModule.js from dist/.
const RUN_MODULE = fileURLToPath(new URL(RUNNING_FROM_SOURCE ? "./runModule.ts" : "./runModule.js", import.meta.url));

const TYPESCRIPT_FILE = /\.(?:ts|mts|cts|tsx)$/;

/**
 * The command line that runs an app module (a `tsgi.ts` exporting `application`)
 * as a CGI script through `runWithCgi`, for `serveCgi`: node, with the tsx loader
 * for a TypeScript module (or when tsgi itself runs from its sources), resolved
 * from the project (not from whatever directory the runner starts in). A JavaScript
 * module with the published (compiled) tsgi needs no tsx.
 * Throws `CgiEnvironmentError` when tsx is needed and cannot be found.
 *
 * @example
 * const server = serveCgi(cgiModuleCommand("./tsgi.ts"));
 * server.listen(8080, "127.0.0.1");
 */
export function cgiModuleCommand(modulePath: string, options: CgiModuleCommandOptions = {}): CgiCommand {
  const args = [RUN_MODULE, resolve(modulePath)];
  if (options.exportName) args.push(options.exportName);
  // Each CGI request starts a process: tsx's loader thread is start-up time a JavaScript module does not need.
  const needsTsx = RUNNING_FROM_SOURCE || TYPESCRIPT_FILE.test(modulePath);
  return [process.execPath, ...(needsTsx ? ["--import", tsxLoader(options.resolveFrom ?? process.cwd())] : []), ...args];
}

function tsxLoader(from: string): string {
  for (const base of [pathToFileURL(resolve(from, "package.json")).href, import.meta.url]) {
    try {
      return pathToFileURL(createRequire(base).resolve("tsx")).href;
    } catch {
      // try the next place
    }
  }
  throw new CgiEnvironmentError(`cannot find tsx from ${from}: install it (pnpm add -D tsx) to run TypeScript apps as CGI scripts`);
}
