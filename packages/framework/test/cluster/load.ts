/** The load generator of the cluster tests: wrk through nginx while a fault or deploy runs, failures counted. */
import { spawn } from "node:child_process";

/** What wrk counted. */
export interface LoadResult {
  requests: number;
  /** Non-2xx/3xx responses. */
  non2xx: number;
  /** connect + read + write + timeout socket errors. */
  socketErrors: number;
  /** wrk's slowest response, as it prints it (reported, never asserted). */
  maxLatency: string;
  output: string;
}

/**
 * wrk against `url` while `during` runs: the load starts first, the fault or deploy runs under it,
 * and wrk is stopped (SIGINT: it prints its counts) `settleSeconds` after `during` finished, bounded
 * by wrk's own 120 s. Counts failures, never timings.
 *
 * @example
 * const result = await underLoad(`${base}/`, 1, () => instance.kill());
 */
export async function underLoad(url: string, settleSeconds: number, during: () => Promise<void>): Promise<LoadResult> {
  // A request that reaches an instance whose master listens but whose worker is still booting waits
  // for it (nginx's proxy_read_timeout is 30 s): slow, not failed, so wrk waits as long as nginx would.
  const child = spawn("wrk", ["-t", "1", "-c", "8", "-d", "120s", "--timeout", "31s", url], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<void>((done) => child.once("close", () => done()));
  await new Promise((done) => setTimeout(done, 700));
  try {
    await during();
    await new Promise((done) => setTimeout(done, settleSeconds * 1000));
  } finally {
    child.kill("SIGINT");
    await closed;
  }
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket === null ? 0 : socket.slice(1).reduce((sum, n) => sum + Number(n), 0);
  if (Number.isNaN(requests)) throw new Error(`wrk output not understood:\n${output}`);
  const maxLatency = /Latency\s+\S+\s+\S+\s+(\S+)/.exec(output)?.[1] ?? "?";
  return { requests, non2xx, socketErrors, maxLatency, output };
}
