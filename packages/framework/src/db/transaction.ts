import { AsyncLocalStorage } from "node:async_hooks";
import { sql } from "kysely";
import type { Executor } from "./backends/database.js";
import { translateError } from "./backends/translateError.js";
import { connections } from "./connections.js";

/** An open transaction on one database: its pinned connection and nesting depth. */
interface TransactionState {
  readonly executor: Executor;
  savepoints: number;
  /** Set when an inner block failed without a savepoint: the outer block must not commit. */
  needsRollback: boolean;
}

const storage = new AsyncLocalStorage<ReadonlyMap<string, TransactionState>>();

/** Options of {@link atomic}. */
export interface AtomicOptions {
  /** The database (default `"default"`). */
  using?: string;
  /** Nested blocks use a savepoint so their failure rolls back only their own work (default true). */
  savepoint?: boolean;
}

/**
 * Runs `fn` in a transaction (Django's `transaction.atomic`): committed when `fn` resolves,
 * rolled back when it throws (the error is rethrown). Nested calls create savepoints, so an
 * inner failure that the outer block catches undoes only the inner work. Every query the model
 * layer makes inside `fn` (and the async work it starts) runs on the transaction's connection.
 *
 * @example
 * await atomic(async () => {
 *   const question = await Question.objects.create({ questionText: "Why?", pubDate: new Date() });
 *   await Choice.objects.create({ question, choiceText: "Because" });
 * });
 */
export async function atomic<T>(fn: () => T | Promise<T>, options: AtomicOptions = {}): Promise<T> {
  const alias = options.using ?? "default";
  const open = storage.getStore();
  const current = open?.get(alias);
  if (current !== undefined) return nested(current, fn, options.savepoint ?? true);
  const db = connections.get(alias);
  return db.kysely.connection().execute(async (connection) => {
    const state: TransactionState = { executor: connection, savepoints: 0, needsRollback: false };
    // SQLite: take the write lock at BEGIN, so two writers wait on busy_timeout instead of failing on upgrade.
    await run(connection, db.vendor === "sqlite" ? "begin immediate" : "begin");
    let result: T;
    try {
      result = await storage.run(new Map([...(open ?? []), [alias, state]]), fn);
    } catch (error) {
      await run(connection, "rollback").catch(() => undefined);
      throw error;
    }
    if (state.needsRollback) {
      await run(connection, "rollback");
      return result;
    }
    try {
      await run(connection, "commit");
    } catch (error) {
      await run(connection, "rollback").catch(() => undefined);
      throw error;
    }
    return result;
  });
}

async function nested<T>(state: TransactionState, fn: () => T | Promise<T>, savepoint: boolean): Promise<T> {
  if (!savepoint) {
    try {
      return await fn();
    } catch (error) {
      state.needsRollback = true;
      throw error;
    }
  }
  const name = `tsgi_sp_${++state.savepoints}`;
  await run(state.executor, `savepoint ${name}`);
  try {
    const result = await fn();
    await run(state.executor, `release savepoint ${name}`);
    return result;
  } catch (error) {
    await run(state.executor, `rollback to savepoint ${name}`).catch(() => undefined);
    await run(state.executor, `release savepoint ${name}`).catch(() => undefined);
    throw error;
  }
}

async function run(executor: Executor, statement: string): Promise<void> {
  try {
    await sql.raw(statement).execute(executor);
  } catch (error) {
    throw translateError(error, statement);
  }
}

/**
 * Where the model layer sends a query for `alias`: the open transaction's connection, else the database.
 *
 * @example
 * const rows = await runCompiled(executorFor("default"), compiled);
 */
export function executorFor(alias = "default"): Executor {
  return storage.getStore()?.get(alias)?.executor ?? connections.get(alias).kysely;
}

/**
 * True inside an {@link atomic} block for `alias` (Django's `connection.in_atomic_block`).
 *
 * @example
 * if (!inAtomicBlock()) throw new Error("call me inside atomic()");
 */
export function inAtomicBlock(alias = "default"): boolean {
  return storage.getStore()?.has(alias) ?? false;
}
