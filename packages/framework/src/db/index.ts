/**
 * The model layer (issue 14): models, queries, transactions and migrations over Kysely,
 * on SQLite (better-sqlite3) and PostgreSQL (pg).
 */
export * from "./errors.js";
export * from "./fields/index.js";
export { defineModel } from "./model/defineModel.js";
export { ModelInstance, type InstanceState } from "./model/instance.js";
export { ModelMeta, type IndexSpec } from "./model/meta.js";
export { apps, type ReverseRelation } from "./model/registry.js";
export type { AnyModel, CreateValues, FieldMap, FieldValues, Filters, Instance, InstanceOf, Lookup, MetaOptions, ModelClass, ModelDefinition, UpdateValues } from "./model/types.js";
export { QuerySet, type OrderTerm } from "./query/querySet.js";
export { ManyRelatedManager } from "./query/manyRelated.js";
export { F, Q, q, Count, Sum, Avg, Max, Min, Aggregate, FieldRef, Arithmetic, type Expression } from "./query/expressions.js";
export type { SaveOptions } from "./query/persistence.js";
export { atomic, inAtomicBlock, executorFor, type AtomicOptions } from "./transaction.js";
export { connections, ConnectionHandler, type ConnectOptions } from "./connections.js";
export { checkDatabasesSetting, databaseSettings, parseDatabaseUrl, type DatabaseSettings } from "./settings.js";
export { openDatabase, runCompiled, captureQueries, type Database, type Executor, type Vendor } from "./backends/database.js";
export { sql } from "kysely";
export { createTables, dropTables } from "./testing.js";
export type { Migration, Operation, RunCodeContext, RunCodeFunction, ModelState } from "./migrations/types.js";
export { runCodeNoop } from "./migrations/types.js";
export { applyMigrations, currentlyApplied, executePlan, migrationSql, type ExecuteOptions, type MigrateOptions } from "./migrations/executor.js";
export { migrationPlan, resolveMigration, type MigrationTarget, type PlanStep } from "./migrations/planner.js";
export { IrreversibleError } from "./migrations/errors.js";
export { installedApps, importModels, loadMigrations, MigrationGraph, type AppConfig } from "./migrations/loader.js";
export { planMigrations, writeMigrations, type PlannedMigration } from "./migrations/makeMigrations.js";
export { getObjectOr404, getListOr404, type QuerySource } from "./shortcuts.js";
export { Paginator, Page, InvalidPage, PageNotAnInteger, EmptyPage, type Paginatable } from "./paginator.js";
export { nonAtomicRequests, callViewAtomically } from "./atomicRequests.js";
export { TestDatabase, type FixtureObject } from "./testCase.js";
export { DatabaseSessionBackend, SESSIONS_APP } from "./contrib/sessions/backend.js";
