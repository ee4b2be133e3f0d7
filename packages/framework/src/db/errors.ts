import { FrameworkError } from "../exceptions.js";

/**
 * Errors of the model layer, after `django.db` and `django.core.exceptions`.
 * Driver errors (better-sqlite3, pg) are translated into these by `backends/translateError.ts`,
 * so code catches one set of classes whatever the database.
 */

/** Base class of every error the database reported (PEP 249's `DatabaseError`). */
export class DatabaseError extends FrameworkError {
  constructor(
    message: string,
    /** The SQL that failed, when known (shown on the DEBUG 500 page). */
    readonly sql?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A constraint was violated (unique, not null, foreign key, check).
 *
 * @example
 * try { await User.objects.create({ email }); } catch (error) { if (error instanceof IntegrityError) ... }
 */
export class IntegrityError extends DatabaseError {
  constructor(
    message: string,
    /** The violated constraint's name, or for SQLite (which names none) the `table.column` it reports. */
    readonly constraint: string | undefined,
    sql?: string,
    options?: ErrorOptions,
  ) {
    super(message, sql, options);
  }
}

/** The database could not be reached, a table is missing, the file is locked... */
export class OperationalError extends DatabaseError {}

/**
 * A configured database could not be opened at start-up (lifespan): authentication failed, no such
 * database, a SQLite folder that does not exist, or (for an alias `LIFESPAN_REQUIRE_DATABASES`
 * names) a server that is down. The process does not serve.
 */
export class DatabaseStartupError extends OperationalError {}

/**
 * The {@link DatabaseStartupError} of a server that is down or cut off rather than misconfigured
 * (connection refused or reset, no answer in time, shutting down or starting up). The lifespan
 * start-up logs it and serves on (requests that need the database get 503 until it is back)
 * unless `LIFESPAN_REQUIRE_DATABASES` names the alias.
 */
export class DatabaseUnreachableError extends DatabaseStartupError {
  constructor(
    message: string,
    /** The `DATABASES` alias that could not be reached. */
    readonly alias: string,
    options?: ErrorOptions,
  ) {
    super(message, undefined, options);
  }
}

/** The SQL itself is wrong (syntax, unknown column). */
export class ProgrammingError extends DatabaseError {}

/** Base class of every model's `DoesNotExist` (Django's `ObjectDoesNotExist`). */
export class ObjectDoesNotExist extends FrameworkError {
  constructor(message = "The object does not exist.", options?: ErrorOptions) {
    super(message, options);
  }
}

/** Base class of every model's `MultipleObjectsReturned`. */
export class MultipleObjectsReturned extends FrameworkError {
  constructor(message = "More than one object was returned.", options?: ErrorOptions) {
    super(message, options);
  }
}

/** A model declaration is wrong; the message names the model, the field and the fix. */
export class ModelDeclarationError extends FrameworkError {}

/** A query names a field or lookup the model does not have; the message lists the choices. */
export class FieldError extends FrameworkError {}

/** Migrations cannot be loaded, generated or applied; the message names the migration (and statement). */
export class MigrationError extends FrameworkError {}

/** `DATABASES` names no such alias, or the configuration is unusable. */
export class ConnectionDoesNotExist extends FrameworkError {}

/** `atomic()` misuse: e.g. a query on another connection while a SQLite transaction holds the only one. */
export class TransactionManagementError extends FrameworkError {}

/** `choice.question` was read before the related object was loaded. */
export class RelatedObjectNotLoaded extends FrameworkError {}
