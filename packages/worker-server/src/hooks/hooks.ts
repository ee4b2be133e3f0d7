import type { Environ } from "tsgi";
import type { Settings } from "../config/settings.js";
import type { RequestOutcome } from "../connection/types.js";
import type { Logger } from "../log/errorLog.js";
import { describeError } from "tsgi/helpers";

/** A worker as the master sees it. */
export interface WorkerInfo {
  /** Slot number, 1..N: stays with the slot across restarts (as uWSGI's worker id). */
  id: number;
  pid: number;
  /** Spawn order, increasing across the master's life (Gunicorn's `worker.age`). */
  age: number;
}

/** The master, as master-side hooks receive it (Gunicorn's `server`). */
export interface ArbiterInfo {
  pid: number;
  settings: Settings;
  log: Logger;
  /** The workers currently alive. */
  workers(): WorkerInfo[];
}

/** The worker process itself, as worker-side hooks receive it. */
export interface WorkerContext extends WorkerInfo {
  settings: Settings;
  log: Logger;
}

/** How a worker process ended, for `childExit`. */
export interface WorkerExit extends WorkerInfo {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

type Awaitable = void | Promise<void>;

/**
 * Server hooks, defined in a JS/TS config file (Gunicorn's server hooks). Master-side hooks
 * run in the master; worker-side ones run in each worker process. Errors in a hook are logged, never fatal.
 */
export interface Hooks {
  /** Master: before the master binds and forks. */
  onStarting?(arbiter: ArbiterInfo): Awaitable;
  /** Master: on HUP, before the new workers start. */
  onReload?(arbiter: ArbiterInfo): Awaitable;
  /** Master: once the first set of workers is ready to serve. */
  whenReady?(arbiter: ArbiterInfo): Awaitable;
  /** Master: just before a worker process is started. */
  preFork?(arbiter: ArbiterInfo, worker: Omit<WorkerInfo, "pid">): Awaitable;
  /** Master: just after a worker process is started (Node has no fork(); this is the master's side of it). */
  postFork?(arbiter: ArbiterInfo, worker: WorkerInfo): Awaitable;
  /** Master: after a worker process exited, for any reason. */
  childExit?(arbiter: ArbiterInfo, worker: WorkerExit): Awaitable;
  /** Master: just before the master exits. */
  onExit?(arbiter: ArbiterInfo): Awaitable;
  /** Worker: after the app is loaded, before serving. */
  postWorkerInit?(worker: WorkerContext): Awaitable;
  /** Worker: before the app sees a request (synchronous: it runs on the request path). */
  preRequest?(worker: WorkerContext, environ: Environ): void;
  /** Worker: after a response finished (synchronous: it runs on the request path). */
  postRequest?(worker: WorkerContext, environ: Environ, outcome: RequestOutcome, durationMs: number): void;
  /** Worker: on INT/QUIT (quick stop). */
  workerInt?(worker: WorkerContext): Awaitable;
  /** Worker: on SIGABRT, sent by the master when the worker timed out (only runs if the event loop is free). */
  workerAbort?(worker: WorkerContext): Awaitable;
  /** Worker: just before the worker process exits. */
  workerExit?(worker: WorkerContext): Awaitable;
}

export type HookName = keyof Hooks;

/** Every hook name, for validating config files. */
export const HOOK_NAMES: readonly HookName[] = [
  "onStarting", "onReload", "whenReady", "preFork", "postFork", "childExit", "onExit",
  "postWorkerInit", "preRequest", "postRequest", "workerInt", "workerAbort", "workerExit",
];

/** True when `key` names a hook. */
export function isHookName(key: string): key is HookName {
  return (HOOK_NAMES as readonly string[]).includes(key);
}

/**
 * Runs one hook if defined, logging (not throwing) its error, since a broken hook
 * must not take the server down.
 *
 * @example
 * await runHook(hooks, "whenReady", log, arbiterInfo);
 */
export async function runHook<K extends HookName>(
  hooks: Hooks,
  name: K,
  log: Logger,
  ...args: Parameters<NonNullable<Hooks[K]>>
): Promise<void> {
  const hook = hooks[name] as ((...hookArgs: Parameters<NonNullable<Hooks[K]>>) => unknown) | undefined;
  if (!hook) return;
  try {
    await hook(...args);
  } catch (error) {
    log.error(`Exception in ${name} hook: ${describeError(error)}`);
  }
}

/** Runs a synchronous request-path hook; errors are logged, and a returned promise is not awaited. */
export function runRequestHook<K extends "preRequest" | "postRequest">(
  hooks: Hooks,
  name: K,
  log: Logger,
  ...args: Parameters<NonNullable<Hooks[K]>>
): void {
  const hook = hooks[name] as ((...hookArgs: Parameters<NonNullable<Hooks[K]>>) => unknown) | undefined;
  if (!hook) return;
  try {
    const result = hook(...args);
    if (result instanceof Promise) result.catch((error: unknown) => log.error(`Exception in ${name} hook: ${String(error)}`));
  } catch (error) {
    log.error(`Exception in ${name} hook: ${describeError(error)}`);
  }
}
