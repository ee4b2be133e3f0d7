import type { Vendor } from "../backends/database.js";
import { ModelDeclarationError } from "../errors.js";

/** The kinds of field the model layer stores; each maps to one column type per database. */
export type FieldKind =
  | "auto"
  | "char"
  | "text"
  | "integer"
  | "bigint"
  | "float"
  | "decimal"
  | "boolean"
  | "datetime"
  | "date"
  | "json"
  | "uuid"
  | "foreignKey"
  | "manyToMany";

/** What happens to rows pointing at a deleted row (Django's `on_delete`), enforced by the database's foreign key. */
export type OnDelete = "CASCADE" | "PROTECT" | "RESTRICT" | "SET_NULL" | "DO_NOTHING";

/** JSON-compatible values: what a migration file can hold as a default. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Options every field accepts (Django's names, camelCase). */
export interface FieldOptions<T> {
  /** The column accepts NULL (the value may be `null`). */
  null?: boolean;
  /** Forms may leave it empty (validation only; no effect on the database). */
  blank?: boolean;
  /** The value when none is given: a value or a function making one. */
  default?: T | (() => T);
  unique?: boolean;
  /** Create an index on the column. */
  dbIndex?: boolean;
  /** The column name (default: the field name in snake_case). */
  dbColumn?: string;
  primaryKey?: boolean;
  /** Allowed values with their labels, for forms and `getDisplay()`. */
  choices?: ReadonlyArray<readonly [T, string]>;
  verboseName?: string;
  helpText?: string;
  /** Shown in forms (default true). */
  editable?: boolean;
}

/** A field as a migration file records it: plain JSON, compared by `makemigrations`. */
export interface FieldState {
  type: FieldKind;
  column: string;
  null?: boolean;
  unique?: boolean;
  dbIndex?: boolean;
  primaryKey?: boolean;
  maxLength?: number;
  maxDigits?: number;
  decimalPlaces?: number;
  default?: JsonValue;
  /** Foreign key / many-to-many target, `"app.Model"`. */
  to?: string;
  onDelete?: OnDelete;
  /** Many-to-many: the join table. */
  through?: string;
}

/**
 * A model field. The type parameters carry the value type (`T`, with `null` when the field is
 * nullable) and whether `create()` may omit it (`Optional`: it has a default, is nullable or automatic).
 *
 * @example
 * const title = CharField({ maxLength: 200 }); // Field<string, false>
 */
export class Field<T = unknown, Optional extends boolean = boolean> {
  /** Type-level only: the value type. */
  declare readonly valueType?: T;
  /** Type-level only: whether create() may omit the field. */
  declare readonly optionalOnCreate?: Optional;
  /** The attribute name, set when the model is declared. */
  name = "";
  /** `app.Model` of the model holding the field, set when the model is declared. */
  modelLabel = "";

  constructor(
    readonly kind: FieldKind,
    readonly options: FieldOptions<T> & { maxLength?: number; maxDigits?: number; decimalPlaces?: number; autoNow?: boolean; autoNowAdd?: boolean },
  ) {}

  /** The column holding the value. */
  get column(): string {
    return this.options.dbColumn ?? snakeCase(this.name);
  }

  /** The instance attribute holding the value (foreign keys: `<name>Id`). */
  get attname(): string {
    return this.name;
  }

  get isPrimaryKey(): boolean {
    return this.options.primaryKey === true || this.kind === "auto";
  }

  get nullable(): boolean {
    return this.options.null === true;
  }

  /** Whether the column is stored on the model's table (many-to-many fields are not). */
  get concrete(): boolean {
    return true;
  }

  /** The value for a new instance: the default, `null` for nullable fields, else undefined. */
  defaultValue(): T | null | undefined {
    const given = this.options.default;
    if (given !== undefined) return typeof given === "function" ? (given as () => T)() : given;
    if (this.options.autoNow === true || this.options.autoNowAdd === true) return new Date() as T;
    if (this.kind === "uuid" && this.isPrimaryKey) return crypto.randomUUID() as T;
    return this.nullable ? null : undefined;
  }

  /** Converts a JavaScript value to what the driver stores. */
  toDb(value: unknown, vendor: Vendor): unknown {
    if (value === null || value === undefined) return null;
    switch (this.kind) {
      case "boolean":
        return vendor === "sqlite" ? (value ? 1 : 0) : Boolean(value);
      case "datetime": {
        const date = value instanceof Date ? value : new Date(String(value));
        if (Number.isNaN(date.getTime())) throw new TypeError(`${this.modelLabel}.${this.name}: ${JSON.stringify(value)} is not a date-time`);
        return vendor === "sqlite" ? date.toISOString() : date;
      }
      case "date":
        return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
      case "json":
        return JSON.stringify(value);
      case "decimal":
        return String(value);
      default:
        return value;
    }
  }

  /** Converts what the driver returned to the JavaScript value. */
  fromDb(raw: unknown, vendor: Vendor): T {
    if (raw === null || raw === undefined) return null as T;
    switch (this.kind) {
      case "boolean":
        return Boolean(raw) as T;
      case "datetime":
        return (raw instanceof Date ? raw : new Date(String(raw))) as T;
      case "json":
        return (vendor === "sqlite" || typeof raw === "string" ? JSON.parse(String(raw)) : raw) as T;
      case "decimal":
        return String(raw) as T;
      case "integer":
      case "bigint":
      case "auto":
      case "float":
        return Number(raw) as T;
      default:
        return raw as T;
    }
  }

  /** The JSON description a migration records. */
  state(): FieldState {
    const o = this.options;
    const state: FieldState = { type: this.kind, column: this.column };
    if (o.null) state.null = true;
    if (o.unique) state.unique = true;
    if (o.dbIndex) state.dbIndex = true;
    if (o.primaryKey && this.kind !== "auto") state.primaryKey = true;
    if (o.maxLength !== undefined) state.maxLength = o.maxLength;
    if (o.maxDigits !== undefined) state.maxDigits = o.maxDigits;
    if (o.decimalPlaces !== undefined) state.decimalPlaces = o.decimalPlaces;
    const literal = o.default;
    // A function default (`() => new Date()`) is evaluated per row, so migrations do not record it.
    if (literal !== undefined && typeof literal !== "function" && !(literal instanceof Date)) state.default = literal as JsonValue;
    return state;
  }

  /** Checks the options when the model is declared; throws naming the fix. */
  check(): void {
    const where = `${this.modelLabel}.${this.name}`;
    if (this.kind === "char" && !(typeof this.options.maxLength === "number" && this.options.maxLength > 0)) {
      throw new ModelDeclarationError(`${where}: CharField needs maxLength, e.g. CharField({ maxLength: 200 }) (or use TextField for unlimited text).`);
    }
    if (this.kind === "decimal" && (this.options.maxDigits === undefined || this.options.decimalPlaces === undefined)) {
      throw new ModelDeclarationError(`${where}: DecimalField needs maxDigits and decimalPlaces, e.g. DecimalField({ maxDigits: 8, decimalPlaces: 2 }).`);
    }
    if (this.options.primaryKey && this.nullable) throw new ModelDeclarationError(`${where}: a primary key cannot be null; remove null: true.`);
  }
}

/**
 * `questionText` -> `question_text`, as Django names columns after attributes.
 *
 * @example
 * snakeCase("pubDate"); // "pub_date"
 */
export function snakeCase(name: string): string {
  let snake = snakeCases.get(name);
  if (snake === undefined) {
    snake = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toLowerCase();
    // Field and model names, a bounded set: `field.column` asks for every column of every row loaded.
    if (snakeCases.size < 10_000) snakeCases.set(name, snake);
  }
  return snake;
}

const snakeCases = new Map<string, string>();
