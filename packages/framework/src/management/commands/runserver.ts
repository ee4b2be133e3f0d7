import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CommandError, type ManagementCommand } from "../command.js";
import { applicationTarget } from "../project.js";
import { runServerProcess, serverBin } from "../spawnServer.js";
import { errorMessage } from "tsgi/helpers";

// The module tsgi-dev serves: devApplication.ts run from the sources, devApplication.js from the
// published package's dist/ (this file's own extension says which).
const DEV_APPLICATION = fileURLToPath(
  new URL(new URL(import.meta.url).pathname.endsWith(".ts") ? "../devApplication.ts" : "../devApplication.js", import.meta.url),
);

/**
 * Django's `runserver` address forms: `8000`, `0.0.0.0:8000`, `[::1]:8000`, `localhost`.
 *
 * @example
 * parseAddrport("0.0.0.0:8080"); // { host: "0.0.0.0", port: "8080" }
 */
export function parseAddrport(addrport: string | undefined): { host: string; port: string } {
  if (addrport === undefined) return { host: "127.0.0.1", port: "8000" };
  const match = /^(?:(\[[^\]]+\]|[^:\s]+):)?(\d+)$/.exec(addrport) ?? /^(\[[^\]]+\]|[a-zA-Z0-9.-]+)$/.exec(addrport);
  if (!match) throw new CommandError(`"${addrport}" is not a valid port number or address:port pair.`);
  if (match.length === 3) {
    const port = match[2] as string;
    if (Number(port) > 65535) throw new CommandError(`"${addrport}" is not a valid port number or address:port pair.`);
    return { host: (match[1] ?? "127.0.0.1").replace(/^\[(.*)\]$/, "$1"), port };
  }
  return { host: (match[1] as string).replace(/^\[(.*)\]$/, "$1"), port: "8000" };
}

/**
 * `manage runserver [addrport] [--noreload]`: the development server (`tsgi-dev`) on the
 * project's application, reloading on changes and, with DEBUG, serving STATIC_URL from the
 * static folders (as Django's runserver does). Extra arguments go to tsgi-dev.
 */
export const runserverCommand: ManagementCommand = {
  help: "Starts the development server (tsgi-dev) with autoreload: runserver [addr:]port [--noreload].",
  async run(context) {
    let parsed;
    try {
      parsed = parseArgs({ args: [...context.args], options: { noreload: { type: "boolean" }, "no-reload": { type: "boolean" } }, allowPositionals: true });
    } catch (error) {
      throw new CommandError(`runserver: ${errorMessage(error)}`);
    }
    const [addrport, ...extra] = parsed.positionals;
    const { host, port } = parseAddrport(addrport);
    const target = applicationTarget(context);
    // tsgi-dev runs devApplication, which loads the target and serves static files in DEBUG.
    const args = ["--host", host, "--port", port, ...(parsed.values.noreload || parsed.values["no-reload"] ? ["--no-reload"] : []), ...extra, `${DEV_APPLICATION}:application`];
    // The banner names the project's module (relative to where manage runs), not the framework's wrapper.
    const shown = relative(process.cwd(), target) || target;
    return runServerProcess(serverBin("@tsgi/dev-server", "tsgi-dev"), args, { TSGI_MANAGE_TARGET: target, TSGI_DEV_SHOWN_TARGET: shown });
  },
};
