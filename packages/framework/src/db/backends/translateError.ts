import { DatabaseError, IntegrityError, OperationalError, ProgrammingError } from "../errors.js";
import { isServerUnreachable } from "../unreachable.js";

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
  detail?: unknown;
}

/**
 * Turns a better-sqlite3 or pg error into the framework's typed error, keeping the SQL
 * (for the DEBUG page) and the original as `cause`. Other errors pass through unchanged.
 *
 * @example
 * try { await query.execute(); } catch (error) { throw translateError(error, compiled.sql); }
 */
export function translateError(error: unknown, sql?: string): unknown {
  if (!(error instanceof Error) || error instanceof DatabaseError) return error;
  const driver = error as DriverError;
  const code = typeof driver.code === "string" ? driver.code : "";
  const detail = typeof driver.detail === "string" ? ` (${driver.detail})` : "";
  const message = `${error.message}${detail}`;
  if (code.startsWith("SQLITE_CONSTRAINT")) {
    // SQLite names the column ("UNIQUE constraint failed: polls_question.slug") rather than the constraint.
    const named = /constraint failed: (.+)$/.exec(error.message)?.[1];
    return new IntegrityError(message, named ?? code, sql, { cause: error });
  }
  if (/^23\d{3}$/.test(code)) {
    return new IntegrityError(message, typeof driver.constraint === "string" ? driver.constraint : code, sql, { cause: error });
  }
  if (code === "SQLITE_ERROR" || /^42\d{3}$/.test(code)) {
    // "no such table" is SQLite's SQLITE_ERROR too: say how to fix the usual cause.
    const hint = /no such table|does not exist/.test(error.message) && /relation|table/.test(error.message) ? " (run `manage migrate`?)" : "";
    return new ProgrammingError(`${message}${hint}`, sql, { cause: error });
  }
  // A server that is down or cut off (also "Connection terminated unexpectedly", which has no code): 503, not 500.
  if (code.startsWith("SQLITE_") || /^(08|53|57)\w{3}$/.test(code) || isServerUnreachable(error)) {
    return new OperationalError(message, sql, { cause: error });
  }
  if (/^\w{5}$/.test(code) && "severity" in error) return new DatabaseError(message, sql, { cause: error });
  return error;
}
