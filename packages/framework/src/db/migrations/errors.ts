import { MigrationError } from "../errors.js";

/**
 * A migration cannot be unapplied because one of its operations has no reverse (Django's
 * `IrreversibleError`): a `RunSQL` without `reverseSql` or a `RunCode` without `reverseCode`.
 * Raised before anything changes, naming the migration, the operation and the fix.
 *
 * @example
 * try { await migrateTo(graph, { app: "polls", target: "zero" }); } catch (error) { if (error instanceof IrreversibleError) ... }
 */
export class IrreversibleError extends MigrationError {
  constructor(
    /** `app.name` of the migration. */
    readonly migration: string,
    /** 1-based position of the operation in the migration. */
    readonly operationIndex: number,
    /** The operation's type (`RunSQL`, `RunCode`). */
    readonly operationType: string,
    fix: string,
  ) {
    super(`Operation ${operationIndex} (${operationType}) of migration ${migration} is not reversible: ${fix}. Nothing was unapplied.`);
  }
}
