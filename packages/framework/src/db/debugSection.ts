import type { ReportSection } from "tsgi/debug";
import { DatabaseError, IntegrityError } from "./errors.js";

/**
 * The DEBUG 500 page's "Database error" section: the SQL that failed (and the constraint), for a
 * `DatabaseError` the view let escape, or one among the error's causes.
 *
 * @example
 * before: [...templateSection(error), ...databaseErrorSection(error)]
 */
export function databaseErrorSection(error: unknown): ReportSection[] {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth++) {
    if (current instanceof DatabaseError && current.sql !== undefined) {
      const constraint = current instanceof IntegrityError && current.constraint !== undefined ? `\nConstraint: ${current.constraint}` : "";
      return [{ id: "database", title: "Database error", blocks: [{ kind: "text", text: `${current.name}: ${current.message}${constraint}\nSQL: ${current.sql}` }] }];
    }
    current = (current as { cause?: unknown }).cause;
  }
  return [];
}
