/**
 * An error as text for a log: its stack (which starts with `Name: message`),
 * or `Name: message` when it has none; a thrown non-error as `String(value)`.
 *
 * @example
 * log.error(`Exception in worker: ${describeError(error)}`);
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * An error's message alone (a thrown non-error as `String(value)`), for a one-line report.
 *
 * @example
 * throw new ConfigError(`cannot read ${path}: ${errorMessage(error)}`);
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
