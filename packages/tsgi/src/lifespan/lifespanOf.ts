import { callApplication } from "../application.js";
import type { Application } from "../types.js";
import type { Lifespan } from "./types.js";

/** An application that declares start-up and shutdown work (SPEC.md, "Lifespan"). */
export type LifespanApplication = Application & { lifespan?: Lifespan };

/**
 * The lifespan an app declares as its `lifespan` property, if it is one
 * (an object whose `startup`/`shutdown`, when present, are functions).
 *
 * @example
 * const lifespan = lifespanOf(app);
 * await lifespan?.startup?.(state);
 */
export function lifespanOf(app: Application): Lifespan | undefined {
  const value: unknown = Reflect.get(app, "lifespan");
  if (typeof value !== "object" || value === null) return undefined;
  const startup: unknown = Reflect.get(value, "startup");
  const shutdown: unknown = Reflect.get(value, "shutdown");
  if ((startup !== undefined && typeof startup !== "function") || (shutdown !== undefined && typeof shutdown !== "function")) return undefined;
  return value;
}

/**
 * A new app that calls `app` and declares `lifespan`: how an app (or a middleware
 * forwarding the lifespan of the app it wraps) declares its start-up and shutdown.
 *
 * @example
 * export const app = withLifespan(router, {
 *   async startup(state) { state.pool = await openPool(); },
 *   async shutdown(state) { await (state.pool as Pool).end(); },
 * });
 */
export function withLifespan(app: Application, lifespan: Lifespan | undefined): LifespanApplication {
  const wrapped: LifespanApplication = (environ, startResponse) => callApplication(app, environ, startResponse);
  if (lifespan !== undefined) wrapped.lifespan = lifespan;
  return wrapped;
}
