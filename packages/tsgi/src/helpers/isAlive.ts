/**
 * True when a process with this pid exists (signal 0 probes without sending
 * anything). EPERM means it exists but belongs to someone else: alive.
 *
 * @example
 * if (existing !== undefined && isAlive(existing)) throw new PidfileError("already running");
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
