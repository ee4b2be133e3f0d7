import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, unlinkSync } from "node:fs";
import { lookup } from "node:dns/promises";
import net from "node:net";
import { constants } from "node:os";
import { dirname, resolve } from "node:path";
import { getSystemErrorName } from "node:util";
import { formatBindUrl, parseBindAddress } from "../config/bind.js";
import type { BindAddress } from "../config/bind.js";
import { unixSocketPath } from "./unixSocketPath.js";

/** A bound socket the master holds (and never accepts on): Node's internal TCP/Pipe handle. */
export interface RawServerHandle {
  readonly fd: number;
  getsockname?(out: { address?: string; port?: number; family?: string }): number;
  close(): void;
}

/** One socket the master bound, shared with every worker by file descriptor. */
export interface Listener {
  /** The `--bind` text it came from (matched on USR2 re-exec). */
  bind: string;
  /** The address as bound: port 0 resolved to the real port. */
  address: BindAddress;
  handle: RawServerHandle;
  /** True when the master created a unix socket file it should remove on exit. */
  ownsSocketFile: boolean;
}

/** A socket could not be bound: in use, not permitted, bad host. */
export class BindError extends Error {
  override readonly name = "BindError";
}

type CreateServerHandle = (address: string | null, port: number | null, addressType: number | null, fd?: number, flags?: number) => RawServerHandle | number;

// Node's own bind-without-listen (what its cluster module uses for shared handles). The master must
// hold a bound socket it never accepts on: a listening net.Server would race the workers for connections.
const createServerHandle = (net as unknown as { _createServerHandle: CreateServerHandle })._createServerHandle;

function describeErrno(code: number): string {
  const name = getSystemErrorName(code);
  if (name === "EADDRINUSE") return "address already in use (another server is running there? pick another with -b)";
  if (name === "EACCES") return "permission denied (ports below 1024 need privileges)";
  if (name === "EADDRNOTAVAIL") return "address not available on this machine";
  return name;
}

/** True when a live server answers on the unix socket at `path`. */
function isSocketAlive(path: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = net.connect(path);
    socket.once("connect", () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once("error", () => resolvePromise(false));
  });
}

async function bindUnix(path: string, bind: string): Promise<Listener> {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat && !stat.isSocket()) throw new BindError(`cannot bind ${bind}: ${path} exists and is not a socket`);
  if (stat) {
    if (await isSocketAlive(path)) throw new BindError(`cannot bind ${bind}: address already in use (a server answers on ${path})`);
    // A socket file nobody answers on is left over from a crashed server: remove it, as Gunicorn does.
    unlinkSync(path);
  }
  const handle = createServerHandle(path, -1, -1);
  if (typeof handle === "number") {
    // Node reports most failed unix binds as EACCES, a missing folder included: say which it is.
    const folder = dirname(resolve(path));
    if (!existsSync(folder)) throw new BindError(`cannot bind ${bind}: folder ${folder} does not exist`);
    const reason = getSystemErrorName(handle) === "EACCES" ? `permission denied (the folder ${folder} must be writable)` : describeErrno(handle);
    throw new BindError(`cannot bind ${bind}: ${reason}`);
  }
  return { bind, address: { kind: "unix", path }, handle, ownsSocketFile: true };
}

/**
 * Linux lets an SO_REUSEADDR socket bind (and even listen from another process) on a port another
 * server is listening on, so a bare bind() cannot be trusted to report EADDRINUSE. A normal listen
 * on a throwaway server can: it fails exactly when a second `node server.js` would.
 */
function assertPortFree(ip: string, port: number, bind: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      const known = error.code === undefined ? undefined : constants.errno[error.code as keyof typeof constants.errno];
      const errno = known === undefined ? undefined : -known;
      reject(new BindError(`cannot bind ${bind}: ${errno === undefined ? error.message : describeErrno(errno)}`));
    });
    probe.listen({ host: ip, port, exclusive: true }, () => probe.close(() => resolvePromise()));
  });
}

/** `listen({ reusePort })` exists from Node 22.12 / 23.1 on. */
export function supportsReusePort(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

// libuv's UV_TCP_REUSEPORT bind flag (Node >= 22.12 passes bind flags through).
const UV_TCP_REUSEPORT = 2;

async function bindTcp(host: string, port: number, bind: string, reusePort: boolean): Promise<Listener> {
  let ip = host;
  if (net.isIP(host) === 0) {
    try {
      ip = (await lookup(host)).address;
    } catch {
      throw new BindError(`cannot bind ${bind}: cannot resolve host ${JSON.stringify(host)}`);
    }
  }
  if (port !== 0) await assertPortFree(ip, port, bind);
  // With --reuse-port the master's socket only reserves the port (it never listens); each worker
  // opens its own SO_REUSEPORT socket on it, which the kernel load-balances.
  const handle = createServerHandle(ip, port, net.isIP(ip), undefined, reusePort ? UV_TCP_REUSEPORT : 0);
  if (typeof handle === "number") throw new BindError(`cannot bind ${bind}: ${describeErrno(handle)}`);
  const out: { address?: string; port?: number } = {};
  handle.getsockname?.(out);
  return { bind, address: { kind: "tcp", host: out.address ?? ip, port: out.port ?? port }, handle, ownsSocketFile: false };
}

/** Wraps an inherited descriptor (fd://N, or a socket passed on by the old master during USR2). */
function adoptFd(fd: number, bind: string, address: BindAddress): Listener {
  const handle = createServerHandle(null, null, null, fd);
  if (typeof handle === "number") throw new BindError(`cannot use ${bind}: fd ${fd} is not a socket (${getSystemErrorName(handle)})`);
  let resolved = address;
  if (address.kind === "tcp" || address.kind === "fd") {
    const out: { address?: string; port?: number } = {};
    if (handle.getsockname?.(out) === 0 && out.port !== undefined) resolved = { kind: "tcp", host: out.address ?? "", port: out.port };
  }
  if (resolved.kind === "fd") {
    const path = unixSocketPath(fd);
    if (path !== undefined) resolved = { kind: "unix", path };
  }
  return { bind, address: resolved, handle, ownsSocketFile: false };
}

/**
 * Binds every `--bind` address in the master without listening (workers listen and accept).
 * `inherited` maps bind texts to descriptors already open in this process (USR2 re-exec).
 *
 * @example
 * const listeners = await bindListeners(["127.0.0.1:0", "unix:/tmp/app.sock"]);
 */
export async function bindListeners(
  binds: readonly string[],
  inherited: ReadonlyMap<string, number> = new Map(),
  options: { reusePort?: boolean } = {},
): Promise<Listener[]> {
  const listeners: Listener[] = [];
  if (options.reusePort) {
    if (!supportsReusePort()) throw new BindError(`--reuse-port needs Node >= 22.12 (this is ${process.version}); drop it to share the master's sockets`);
    const notTcp = binds.find((bind) => parseBindAddress(bind).kind !== "tcp");
    if (notTcp) throw new BindError(`--reuse-port works with HOST:PORT binds only, not ${notTcp}`);
  }
  try {
    for (const bind of binds) {
      const address = parseBindAddress(bind);
      const fd = inherited.get(bind);
      if (fd !== undefined) listeners.push(adoptFd(fd, bind, address));
      else if (address.kind === "fd") listeners.push(adoptFd(address.fd, bind, address));
      else if (address.kind === "unix") listeners.push(await bindUnix(address.path, bind));
      else listeners.push(await bindTcp(address.host, address.port, bind, options.reusePort === true));
    }
  } catch (error) {
    closeListeners(listeners, true);
    throw error;
  }
  return listeners;
}

// Runs in a throwaway process that inherits the bound sockets as fds 3, 4, ...: it calls listen()
// on each and exits synchronously, before its event loop could ever accept a connection.
const LISTEN_HELPER = `
const net = require("node:net");
const [backlog, count] = process.argv.slice(1).map(Number);
const results = [];
for (let fd = 3; fd < 3 + count; fd++) {
  const handle = net._createServerHandle(null, null, null, fd);
  results.push(typeof handle === "number" ? handle : handle.listen(backlog));
}
process.stdout.write(JSON.stringify(results));
process.exit(0);
`;

/**
 * Puts the bound sockets in LISTEN state without the master accepting on them. Node has no
 * listen-without-accept, so a short-lived helper process does the listen() on the shared sockets:
 * from then on the kernel queues connections (as Gunicorn's master does before any worker is up),
 * and EADDRINUSE (which Linux reports at listen(), not bind(), for SO_REUSEADDR sockets) surfaces here.
 *
 * @example
 * startListening(await bindListeners(["127.0.0.1:8000"]), 2048);
 */
export function startListening(listeners: readonly Listener[], backlog: number): void {
  if (listeners.length === 0) return;
  const helper = spawnSync(process.execPath, ["-e", LISTEN_HELPER, String(backlog), String(listeners.length)], {
    stdio: ["ignore", "pipe", "pipe", ...listeners.map((listener) => listener.handle.fd)],
    encoding: "utf8",
  });
  let results: number[];
  try {
    results = JSON.parse(helper.stdout) as number[];
  } catch {
    throw new BindError(`cannot listen: helper process failed (${helper.error?.message ?? helper.stderr.trim()})`);
  }
  results.forEach((code, index) => {
    if (code !== 0) throw new BindError(`cannot bind ${listeners[index]?.bind}: ${describeErrno(code)}`);
  });
}

/** Closes the master's copies; `unlink` removes unix socket files (not during a USR2 handover). */
export function closeListeners(listeners: readonly Listener[], unlink: boolean): void {
  for (const listener of listeners) {
    listener.handle.close();
    if (unlink && listener.ownsSocketFile && listener.address.kind === "unix") {
      try {
        unlinkSync(listener.address.path);
      } catch {
        // Already gone.
      }
    }
  }
}

/** The URL for "Listening at:" lines. */
export function listenerUrl(listener: Listener, scheme: string): string {
  return formatBindUrl(listener.address, scheme);
}
