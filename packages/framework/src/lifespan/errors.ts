import { FrameworkError } from "../exceptions.js";

/**
 * A lifespan step failed: its message names the step (`databases`, an app's `apps.ts` ready
 * hook, `LIFESPAN[1] (hooks.ts:warmCache)`) and its cause. At start-up the server reports it
 * as the process's boot failure; at shutdown it is logged and the process exits anyway.
 */
export class LifespanHookError extends FrameworkError {}
