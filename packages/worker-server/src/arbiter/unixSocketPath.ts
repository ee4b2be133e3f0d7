import { readFileSync, readlinkSync } from "node:fs";

/**
 * The path a unix socket descriptor of this process is bound to, read from Linux's /proc (Node's pipe
 * handles have no getsockname): the descriptor's inode, then that inode's line in /proc/net/unix.
 * Used for sockets the master did not bind itself (systemd's, `fd://N`), so "Listening at:" names
 * the real address. Undefined elsewhere than Linux, for an abstract or unbound socket, or on any error.
 *
 * @example
 * unixSocketPath(3); // "/run/site/site.sock"
 */
export function unixSocketPath(fd: number): string | undefined {
  try {
    const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
    if (inode === undefined) return undefined;
    for (const line of readFileSync("/proc/net/unix", "utf8").split("\n").slice(1)) {
      // Num RefCount Protocol Flags Type St Inode Path (the path may be absent, or contain spaces).
      const fields = line.trim().split(/\s+/);
      if (fields[6] !== inode) continue;
      const path = fields.slice(7).join(" ");
      return path.startsWith("/") ? path : undefined;
    }
  } catch {
    // No /proc (not Linux), or the descriptor is gone: the caller keeps fd://N.
  }
  return undefined;
}
