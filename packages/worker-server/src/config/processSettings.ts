import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError } from "./errors.js";
import type { ConfigSources } from "./resolve.js";
import type { Settings } from "./settings.js";

/**
 * Applies the settings that shape the master process itself, as Gunicorn does before it loads
 * the app: `--env` variables (inherited by every worker) and `--chdir`. Returns the sources with
 * the working directory the app is then loaded from. `--user`/`--group` are checked here (so a
 * typo is a usage error) and applied to each worker when it is forked ({@link workerCredentials}).
 *
 * @example
 * sources = applyProcessSettings(config.settings, sources);
 */
export function applyProcessSettings(settings: Settings, sources: ConfigSources): ConfigSources {
  for (const assignment of settings.env) {
    const equals = assignment.indexOf("=");
    process.env[assignment.slice(0, equals)] = assignment.slice(equals + 1);
  }
  workerCredentials(settings);
  if (settings.chdir === null) return sources;
  const directory = resolve(sources.cwd, settings.chdir);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new ConfigError(`no such directory: ${directory}`, "--chdir");
  }
  process.chdir(directory);
  return { ...sources, cwd: directory };
}

/** The uid/gid workers run as, from `--user`/`--group` (names looked up in /etc/passwd and /etc/group). */
export interface WorkerCredentials {
  uid?: number;
  gid?: number;
}

/**
 * Resolves `--user`/`--group` to numeric ids; empty when neither is set. Throws a ConfigError for an
 * unknown name, or when the master is not root (only root can start processes as another user).
 *
 * @example
 * fork(entry, [], { ...workerCredentials(settings) });
 */
export function workerCredentials(settings: Pick<Settings, "user" | "group">): WorkerCredentials {
  if (settings.user === null && settings.group === null) return {};
  if (process.getuid?.() !== 0) {
    throw new ConfigError("needs the master started as root (it keeps the sockets; workers then run as that user)", settings.user !== null ? "-u/--user" : "-g/--group");
  }
  const credentials: WorkerCredentials = {};
  if (settings.user !== null) {
    const entry = lookUp("/etc/passwd", settings.user, "-u/--user");
    credentials.uid = entry.id;
    credentials.gid = entry.primaryGroup;
  }
  if (settings.group !== null) credentials.gid = lookUp("/etc/group", settings.group, "-g/--group").id;
  return credentials;
}

/** A name or number in a passwd/group-format file: `name:x:id:group:...`. */
function lookUp(file: string, nameOrId: string, option: string): { id: number; primaryGroup?: number } {
  const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n") : [];
  for (const line of lines) {
    const fields = line.split(":");
    if (fields.length < 3) continue;
    if (fields[0] !== nameOrId && fields[2] !== nameOrId) continue;
    const primaryGroup = fields[3] !== undefined && /^\d+$/.test(fields[3]) ? Number(fields[3]) : undefined;
    return { id: Number(fields[2]), ...(primaryGroup !== undefined ? { primaryGroup } : {}) };
  }
  if (/^\d+$/.test(nameOrId)) return { id: Number(nameOrId) };
  throw new ConfigError(`no such ${file === "/etc/passwd" ? "user" : "group"}: ${nameOrId}`, option);
}
