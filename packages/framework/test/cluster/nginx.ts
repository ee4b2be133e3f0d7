/**
 * nginx for the cluster tests: docs/deploy.md's tested blocks (through test-support/deployDoc.ts) in a
 * temporary prefix on a free port, with an access log the tests read to say which instance answered
 * what and when; stopped by pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nginxConf } from "../../../../test-support/deployDoc.js";
import { freePort, stopChild, waitForPort } from "./processes.js";

export const NGINX = "/usr/sbin/nginx";

/** A running nginx. */
export interface Nginx {
  port: number;
  prefix: string;
  child: ChildProcess;
  /** Its access log so far: one line per request (see test-support/deployDoc.ts' `accessLog`). */
  accessLog(): string[];
  stop(): Promise<void>;
}

/**
 * nginx on a free port with docs/deploy.md's `nginx-http` block in front of the HTTP `upstreams`
 * (passive health checks as the guide shows them), or its `nginx-uwsgi` block in front of uwsgi ones;
 * `blocks` adds others (`nginx-tls`) with their placeholders' `values`.
 */
export async function startNginx(
  upstreams: ReadonlyArray<{ bind: string }>,
  staticRoot: string,
  blocks: ReadonlyArray<"nginx-http" | "nginx-uwsgi" | "nginx-tls"> = ["nginx-http"],
  values: Readonly<Record<string, string>> = {},
): Promise<Nginx> {
  const prefix = mkdtempSync(join(tmpdir(), "tsgi-cluster-nginx-"));
  const port = await freePort();
  const servers = upstreams.map((u) => `server ${u.bind} max_fails=2 fail_timeout=5s;`).join("\n    ");
  const accessLog = join(prefix, "access.log");
  const conf = nginxConf(prefix, { UPSTREAM_SERVERS: servers, UWSGI_SERVERS: servers, LISTEN: `127.0.0.1:${port}`, STATIC_ROOT: staticRoot, ...values }, { blocks, accessLog });
  writeFileSync(join(prefix, "nginx.conf"), conf);
  const child = spawn(NGINX, ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "error.log")], { stdio: "ignore", detached: true });
  try {
    await waitForPort(port, child, "nginx");
  } catch (error) {
    let log = "";
    try {
      log = readFileSync(join(prefix, "error.log"), "utf8");
    } catch {
      // no log yet
    }
    await stopChild(child, "SIGTERM");
    rmSync(prefix, { recursive: true, force: true });
    throw new Error(`${String(error)}\n${log}`);
  }
  return {
    port,
    prefix,
    child,
    accessLog() {
      try {
        return readFileSync(accessLog, "utf8").split("\n").filter((line) => line !== "");
      } catch {
        return [];
      }
    },
    async stop() {
      await stopChild(child, "SIGTERM");
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/** One access-log line of {@link Nginx.accessLog}. */
export interface AccessEntry {
  /** Seconds since the epoch, with milliseconds. */
  time: number;
  status: number;
  uri: string;
  /** The upstreams nginx tried, in order, and what each gave ("502", "200", or "-" when no answer). */
  upstreams: string[];
  upstreamStatuses: string[];
  seconds: number;
}

/** Parses the lines nginx wrote since `from` (an index into {@link Nginx.accessLog}). */
export function accessEntries(lines: readonly string[], from = 0): AccessEntry[] {
  return lines.slice(from).flatMap((line) => {
    const match = /^(\S+) (\d+) \S+ (\S+) "([^"]*)" "([^"]*)" (\S+)$/.exec(line);
    if (match === null) return [];
    const list = (text: string) => text.split(/[,:] (?=\S)/).map((part) => part.trim()).filter((part) => part !== "");
    return [{ time: Number(match[1]), status: Number(match[2]), uri: match[3] as string, upstreams: (match[4] as string).split(", "), upstreamStatuses: list(match[5] as string), seconds: Number(match[6]) }];
  });
}

/**
 * Failed requests of `entries` (status >= 400) counted per status, when the first and the last were
 * answered, and the span between. 499 (the client closed first) is left out: that is wrk being
 * stopped with requests in flight at the end of a run, not a failure the fault caused.
 */
export function failureWindow(entries: readonly AccessEntry[]): { byStatus: Record<string, number>; first: number; last: number; spanSeconds: number } {
  const failed = entries.filter((entry) => entry.status >= 400 && entry.status !== 499);
  const byStatus: Record<string, number> = {};
  for (const entry of failed) byStatus[entry.status] = (byStatus[entry.status] ?? 0) + 1;
  const first = failed[0]?.time ?? 0;
  const last = failed.at(-1)?.time ?? 0;
  return { byStatus, first, last, spanSeconds: Math.round((last - first) * 1000) / 1000 };
}
