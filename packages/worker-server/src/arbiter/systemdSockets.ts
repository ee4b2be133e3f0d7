/**
 * systemd socket activation (sd_listen_fds(3), as Gunicorn's systemd.listen_fds): a `.socket` unit
 * binds the addresses and execs the service with the sockets as fds 3, 4, ..., `LISTEN_FDS=N` and
 * `LISTEN_PID=<the service's pid>`. The master then serves on those instead of its `-b` binds.
 */
import { BindError } from "./listeners.js";

/** Set by a master that serves systemd's sockets in the environment of its USR2 successor. */
export const SOCKET_ACTIVATED = "TSGI_SOCKET_ACTIVATED";
/** sd_listen_fds(3): passed descriptors start at 3 (SD_LISTEN_FDS_START). */
const SD_LISTEN_FDS_START = 3;

/** Where the master's listening sockets come from. */
export interface SocketPlan {
  /** The bind texts to open: systemd's `fd://N`, or the configured `-b` binds. */
  binds: string[];
  /** True when the sockets are systemd's (so a USR2 successor must keep them instead of `-b`). */
  activated: boolean;
  /** A log line saying which sockets are used and why, when they are systemd's. */
  note?: string;
}

/**
 * Reads and removes `LISTEN_PID`, `LISTEN_FDS` and `LISTEN_FDNAMES` (always, as sd_listen_fds with
 * unset_environment: workers and USR2 successors must not take them for their own) and returns the
 * descriptors passed to this process, or [] when there are none or they are meant for another pid.
 *
 * @example
 * // LISTEN_PID=<this pid> LISTEN_FDS=2
 * systemdListenFds(); // [3, 4]
 */
export function systemdListenFds(env: NodeJS.ProcessEnv = process.env, pid: number = process.pid): number[] {
  const listenPid = env.LISTEN_PID;
  const listenFds = env.LISTEN_FDS;
  delete env.LISTEN_PID;
  delete env.LISTEN_FDS;
  delete env.LISTEN_FDNAMES;
  if (listenPid === undefined || listenFds === undefined || Number(listenPid) !== pid) return [];
  const count = Number(listenFds);
  if (!Number.isInteger(count) || count <= 0) return [];
  return Array.from({ length: count }, (_, index) => SD_LISTEN_FDS_START + index);
}

/**
 * Decides the master's sockets: systemd's when it passed some to this pid, the predecessor's
 * systemd sockets in a USR2 successor (`inherited`, from TSGI_LISTEN_FDS), else the `-b` binds.
 *
 * @example
 * const plan = planSockets(settings.bind, inheritedListeners(), { reusePort: settings.reusePort });
 * if (plan.note) log.info(plan.note);
 * const listeners = await bindListeners(plan.binds, inherited);
 */
export function planSockets(
  configured: readonly string[],
  inherited: ReadonlyMap<string, number>,
  options: { reusePort?: boolean } = {},
  env: NodeJS.ProcessEnv = process.env,
  pid: number = process.pid,
): SocketPlan {
  const fromSystemd = systemdListenFds(env, pid);
  const fromPredecessor = env[SOCKET_ACTIVATED] === "1";
  delete env[SOCKET_ACTIVATED];
  if (options.reusePort && (fromSystemd.length > 0 || fromPredecessor)) {
    // SO_REUSEPORT means one socket per worker, bound by the worker: systemd passes one socket per address.
    throw new BindError("--reuse-port cannot be used with systemd socket activation (LISTEN_FDS): drop --reuse-port, or start without the .socket unit");
  }
  if (fromSystemd.length > 0) {
    const list = fromSystemd.join(", ");
    return {
      binds: fromSystemd.map((fd) => `fd://${fd}`),
      activated: true,
      note: `Using ${fromSystemd.length} socket(s) from systemd socket activation (LISTEN_FDS, fd ${list}); -b/--bind is not used`,
    };
  }
  if (fromPredecessor && inherited.size > 0) {
    const fds = [...inherited.values()];
    return {
      binds: fds.map((fd) => `fd://${fd}`),
      activated: true,
      note: `Using ${fds.length} systemd socket(s) inherited from the old master (fd ${fds.join(", ")}); -b/--bind is not used`,
    };
  }
  return { binds: [...configured], activated: false };
}
