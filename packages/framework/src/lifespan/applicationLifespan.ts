import type { Lifespan, LifespanState } from "tsgi";
import { errorMessage } from "tsgi/helpers";
import { caches } from "../cache/caches.js";
import { connections } from "../db/connections.js";
import type { Settings } from "../settings/types.js";
import { LifespanHookError } from "./errors.js";
import { loadHooks } from "./loadHooks.js";
import { openDatabases } from "./openDatabases.js";
import type { LifespanCleanup, LifespanPhase } from "./types.js";

interface NamedCleanup {
  readonly label: string;
  readonly run: LifespanCleanup;
}

/**
 * The lifespan of a project's TSGI application (SPEC.md, "Lifespan"), declared as its `lifespan`
 * property so every server runs it once per process. Start-up: wait for the URL configuration
 * (its errors stay on the requests, as before), open every configured database with one round
 * trip (a wrong DATABASES is a boot failure; a server that is down only a warning, see
 * {@link openDatabases}), then the installed apps' `ready` hooks and the
 * LIFESPAN hooks in order. Shutdown: the hooks' cleanups in reverse order, then the databases
 * (PostgreSQL pools ended, SQLite files closed) and the caches. A start-up that fails undoes
 * what it did before it rethrows, so nothing is left open.
 *
 * @example
 * const application = getTsgiApplication(settings);
 * const running = await startLifespan(application); // what tsgi-worker does per worker process
 * application.lifespan.phase; // "started"
 */
export class ApplicationLifespan implements Lifespan {
  #phase: LifespanPhase = "idle";
  #state: LifespanState | undefined;
  #cleanups: NamedCleanup[] = [];
  #started: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(
    readonly settings: Settings,
    /** Resolves once the URL configuration is loaded (its rejection is the requests' to report). */
    private readonly configured: Promise<unknown>,
  ) {}

  /** Where the lifespan is in this process (readiness reads it). */
  get phase(): LifespanPhase {
    return this.#phase;
  }

  /** This process's `tsgi.state` once a server started the lifespan, else undefined. */
  get state(): LifespanState | undefined {
    return this.#state;
  }

  /** Resolves when the current start-up completes; undefined while none ran (phase `idle`). */
  get started(): Promise<void> | undefined {
    return this.#started;
  }

  /** Runs the start-up steps in order; rejects with {@link LifespanHookError} naming the step that failed. */
  startup(state: LifespanState): Promise<void> {
    if (this.#phase === "starting" || this.#phase === "started" || this.#phase === "stopping") {
      return Promise.reject(new LifespanHookError(`the application's lifespan is already ${this.#phase} in this process; run its shutdown before starting it again`));
    }
    this.#phase = "starting";
    this.#state = state;
    this.#cleanups = [];
    const started = this.#runStartup(state);
    this.#started = started;
    // Readiness only looks at the phase; the server gets the rejection through the returned promise.
    started.catch(() => undefined);
    return started;
  }

  /** Runs every cleanup in reverse order (each even when an earlier one failed), then reports the failures; a second call while it runs gets the same promise. */
  shutdown(): Promise<void> {
    this.#stopping ??= this.#runShutdown().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #runShutdown(): Promise<void> {
    // A stop that arrives mid start-up waits for it, then undoes whatever it opened.
    if (this.#phase === "starting") await this.#started?.catch(() => undefined);
    if (this.#phase === "idle" || this.#phase === "stopped" || this.#phase === "failed") return;
    this.#phase = "stopping";
    const failures = await runCleanups(this.#cleanups.splice(0));
    this.#phase = "stopped";
    if (failures.length > 0) throw new LifespanHookError(failures.join("; "));
  }

  async #runStartup(state: LifespanState): Promise<void> {
    const settings = this.settings;
    try {
      await this.configured.catch(() => undefined);
      // Registered first, so they run last: hooks' cleanups may still use the databases and caches.
      this.#cleanups.push({ label: "caches", run: () => caches.closeAll() }, { label: "databases", run: () => connections.closeAll() });
      await step("databases", () => openDatabases(settings));
      for (const hook of await loadHooks(settings)) {
        const cleanup = await step(hook.label, () => hook.run({ settings, state }));
        if (typeof cleanup === "function") this.#cleanups.push({ label: hook.label, run: cleanup });
      }
      this.#phase = "started";
    } catch (error) {
      this.#phase = "failed";
      await runCleanups(this.#cleanups.splice(0));
      throw error;
    }
  }
}

/** Runs one start-up step; an error becomes a {@link LifespanHookError} that names the step. */
async function step<T>(label: string, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof LifespanHookError) throw error;
    throw new LifespanHookError(`${label}: ${errorMessage(error)}`, { cause: error });
  }
}

/** Runs cleanups last-registered first; returns one line per failure. */
async function runCleanups(cleanups: NamedCleanup[]): Promise<string[]> {
  const failures: string[] = [];
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup.run();
    } catch (error) {
      failures.push(`${cleanup.label}: ${errorMessage(error)}`);
    }
  }
  return failures;
}
