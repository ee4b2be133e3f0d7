import type { Application } from "../types.js";
import { LifespanShutdownError, LifespanStartupError } from "./errors.js";
import { lifespanOf } from "./lifespanOf.js";
import type { Lifespan, LifespanState } from "./types.js";
import { errorMessage } from "../helpers/describeError.js";

/** Options of {@link startLifespan}. */
export interface LifespanOptions {
  /** How long start-up may take before it counts as failed, in ms (default 30 000). */
  startupTimeout?: number;
  /** How long shutdown may take before the server stops waiting, in ms (default 30 000). */
  shutdownTimeout?: number;
}

/** A started lifespan: the state every environ of this process carries, and the shutdown to run after draining. */
export interface RunningLifespan {
  /** `tsgi.state`: pass it as `EnvironSettings.state`. */
  readonly state: LifespanState;
  /** Runs the app's shutdown once (later calls return the same promise); rejects with {@link LifespanShutdownError}. */
  shutdown(): Promise<void>;
}

const DEFAULT_TIMEOUT = 30_000;

/**
 * Runs an app's lifespan start-up (SPEC.md, "Lifespan"): what each server does once per process
 * before it accepts a connection. Rejects with {@link LifespanStartupError} when start-up throws,
 * rejects or does not settle within `startupTimeout`: the server then reports a boot failure and
 * does not serve. An app without a lifespan gets an empty state and a shutdown that does nothing.
 *
 * @example
 * const lifespan = await startLifespan(app, { startupTimeout: 10_000 });
 * const server = createServer(app, { state: lifespan.state });
 * // ... after draining:
 * await lifespan.shutdown();
 */
export async function startLifespan(app: Application, options: LifespanOptions = {}): Promise<RunningLifespan> {
  const lifespan = lifespanOf(app);
  const state: LifespanState = {};
  if (lifespan?.startup !== undefined) {
    const timeout = options.startupTimeout ?? DEFAULT_TIMEOUT;
    const startup = lifespan.startup.bind(lifespan);
    try {
      await withTimeout(() => startup(state), timeout, `lifespan start-up did not finish within ${timeout} ms; make it faster or raise the server's start-up timeout`);
    } catch (error) {
      if (error instanceof TimeoutError) throw new LifespanStartupError(error.message);
      throw new LifespanStartupError(`lifespan start-up failed: ${errorMessage(error)}; the process does not serve until it succeeds`, { cause: error });
    }
  }
  return { state, shutdown: once(() => runShutdown(lifespan, state, options.shutdownTimeout ?? DEFAULT_TIMEOUT)) };
}

async function runShutdown(lifespan: Lifespan | undefined, state: LifespanState, timeout: number): Promise<void> {
  if (lifespan?.shutdown === undefined) return;
  const shutdown = lifespan.shutdown.bind(lifespan);
  try {
    await withTimeout(() => shutdown(state), timeout, `lifespan shutdown did not finish within ${timeout} ms; the process exits without waiting longer`);
  } catch (error) {
    if (error instanceof TimeoutError) throw new LifespanShutdownError(error.message);
    throw new LifespanShutdownError(`lifespan shutdown failed: ${errorMessage(error)}`, { cause: error });
  }
}

class TimeoutError extends Error {}

async function withTimeout(run: () => void | Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(message)), ms);
  });
  try {
    await Promise.race([Promise.resolve().then(run), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function once(run: () => Promise<void>): () => Promise<void> {
  let started: Promise<void> | undefined;
  return () => (started ??= run());
}
