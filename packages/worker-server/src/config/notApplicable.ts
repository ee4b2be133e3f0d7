/**
 * Gunicorn options that tsgi-worker deliberately does not have, and why: a user translating a
 * Gunicorn command line gets the reason and what to do instead, not "unrecognized arguments".
 * Keys are the CLI flags and the config-file names.
 */
const REASONS: ReadonlyArray<[names: readonly string[], reason: string]> = [
  [
    ["-D", "--daemon", "daemon"],
    "tsgi-worker does not daemonize, deliberately: run it in the foreground under systemd, supervisord or a container runtime, which restart it and collect its logs",
  ],
  [
    ["-k", "--worker-class", "worker_class", "workerClass"],
    "not applicable: there is one worker class, a Node process whose event loop serves many connections at once (as Gunicorn's gevent or uvicorn workers do); set how many with -w/--workers",
  ],
  [
    ["--threads", "threads"],
    "not applicable: each worker serves its connections concurrently on one event loop, so there are no request threads; scale with -w/--workers",
  ],
  [
    ["--worker-connections", "worker_connections", "workerConnections"],
    "not applicable: a worker accepts as many connections as the kernel queue and memory allow; limit requests per connection with --keep-alive and --max-requests",
  ],
];

/**
 * Why `name` (a flag such as `--daemon` or a config key such as `threads`) is not a tsgi-worker
 * option, or undefined when it is not one of Gunicorn's deliberately absent options.
 *
 * @example
 * notApplicableReason("--threads"); // "not applicable: each worker serves ..."
 */
export function notApplicableReason(name: string): string | undefined {
  return REASONS.find(([names]) => names.includes(name))?.[1];
}
