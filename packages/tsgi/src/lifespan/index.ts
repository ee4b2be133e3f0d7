export type { Lifespan, LifespanState } from "./types.js";
export { lifespanOf, withLifespan, type LifespanApplication } from "./lifespanOf.js";
export { startLifespan, type LifespanOptions, type RunningLifespan } from "./runLifespan.js";
export { LifespanStartupError, LifespanShutdownError } from "./errors.js";
