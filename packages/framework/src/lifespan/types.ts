import type { LifespanState } from "tsgi";
import type { Settings } from "../settings/types.js";

/** What a lifespan hook receives: the project's settings and this process's `tsgi.state`. */
export interface LifespanContext {
  readonly settings: Settings;
  /**
   * The per-process state (`tsgi.state`): what a hook puts here, every request of this
   * process reads as `request.META["tsgi.state"]`. Never shared across worker processes.
   */
  readonly state: LifespanState;
}

/** Undoes what a hook set up; run at shutdown, in the reverse order of the hooks. */
export type LifespanCleanup = () => void | Promise<void>;

/**
 * A start-up hook (Django's `AppConfig.ready()`, Starlette's `on_startup`): runs once per
 * process before it serves, and may return the cleanup to run at shutdown (`on_shutdown`).
 */
export type LifespanHook = (context: LifespanContext) => void | LifespanCleanup | Promise<void | LifespanCleanup>;

/**
 * Where the application's lifespan is in this process: `idle` until a server runs it (never,
 * under a server that runs no lifespan), `failed` when a start-up step threw, `stopping` from the
 * start of the shutdown, `stopped` once it finished.
 */
export type LifespanPhase = "idle" | "starting" | "started" | "failed" | "stopping" | "stopped";
