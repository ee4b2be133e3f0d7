import { sql, type RawBuilder } from "kysely";
import type { Vendor } from "../backends/database.js";
import type { Field } from "../fields/field.js";
import type { AnyModel } from "../model/types.js";
import type { Aggregate } from "./expressions.js";

/** Where a condition is compiled: the model, the name its table has in the query, and the database. */
export interface Scope {
  readonly model: AnyModel;
  /** The table's name or alias in the FROM clause. */
  readonly alias: string;
  readonly vendor: Vendor;
  /** `annotate()` names usable in filters and ordering. */
  readonly annotations?: Readonly<Record<string, Aggregate<unknown>>>;
}

/** `"alias"."column"` */
export function columnRef(scope: Scope, field: Field): RawBuilder<unknown> {
  return sql.ref(`${scope.alias}.${field.column}`);
}

