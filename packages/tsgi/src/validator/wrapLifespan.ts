import type { Lifespan, LifespanState } from "../lifespan/types.js";
import type { Application } from "../types.js";
import { check, describe, TsgiValidationError } from "./validationError.js";

/** The validator's view of an app's lifespan: the checked one to forward, and the state its start-up was given. */
export interface ValidatedLifespan {
  lifespan: Lifespan | undefined;
  /** The state object the server passed to start-up (every environ of this process must carry it). */
  readonly startedState: () => LifespanState | undefined;
}

/**
 * Checks the app's `lifespan` property (rule `lifespan-type`) and wraps its start-up so one that
 * has not settled within `timeoutMs` fails with rule `lifespan-startup-timeout`, whatever the
 * server's own timeout.
 *
 * @example
 * const { lifespan } = wrapLifespan(app, 30_000);
 */
export function wrapLifespan(app: Application, timeoutMs: number): ValidatedLifespan {
  const value: unknown = Reflect.get(app, "lifespan");
  let started: LifespanState | undefined;
  if (value === undefined) return { lifespan: undefined, startedState: () => started };
  const startup: unknown = typeof value === "object" && value !== null ? Reflect.get(value, "startup") : undefined;
  const shutdown: unknown = typeof value === "object" && value !== null ? Reflect.get(value, "shutdown") : undefined;
  check(
    typeof value === "object" && value !== null && (startup === undefined || typeof startup === "function") && (shutdown === undefined || typeof shutdown === "function"),
    "lifespan-type",
    `an app's lifespan is { startup?(state), shutdown?(state) }, got ${describe(value)}`,
  );
  const lifespan: Lifespan = {};
  if (typeof startup === "function") {
    lifespan.startup = async (state: LifespanState) => {
      started = state;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new TsgiValidationError("lifespan-startup-timeout", `lifespan start-up did not settle within ${timeoutMs} ms; await what it opens, or raise the validator's lifespanTimeout`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([Promise.resolve().then(() => Reflect.apply(startup, value, [state]) as unknown), expired]);
      } finally {
        clearTimeout(timer);
      }
    };
  }
  if (typeof shutdown === "function") lifespan.shutdown = (state: LifespanState) => Reflect.apply(shutdown, value, [state]) as void | Promise<void>;
  return { lifespan, startedState: () => started };
}
