import type { Environ } from "tsgi";
import { describeError } from "tsgi/helpers";

/**
 * Writes a handler error to the server's error log (`tsgi.errors`), with the
 * stack: this is where a 500's details go when DEBUG is off.
 *
 * @example
 * logError(environ, "Internal Server Error: /checkout/", error);
 */
export function logError(environ: Environ | undefined, summary: string, error?: unknown): void {
  const detail = error === undefined ? "" : `\n${describeError(error)}`;
  const text = `${summary}${detail}\n`;
  try {
    if (environ) environ["tsgi.errors"].write(text);
    else process.stderr.write(text);
  } catch {
    process.stderr.write(text);
  }
}
