import { InvalidTargetError, parseTarget as parseTargetText } from "tsgi/helpers";
import type { TargetSpec } from "tsgi/helpers";
import { UsageError } from "../errors.js";

export { describeTarget, type TargetSpec } from "tsgi/helpers";

/**
 * Parses the command line's TARGET with `tsgi/helpers`' `parseTarget` (the
 * same rules as tsgi-worker); a malformed one is a usage error (exit code 2).
 *
 * @example
 * parseTarget("src/app.ts:createApp()"); // { modulePath: "src/app.ts", exportName: "createApp", callFactory: true }
 */
export function parseTarget(target: string): TargetSpec {
  if (target.trim() === "") throw new UsageError("missing TARGET (usage: tsgi-dev [options] path/to/module[:export])");
  try {
    return parseTargetText(target);
  } catch (error) {
    throw error instanceof InvalidTargetError ? new UsageError(error.message) : error;
  }
}
