import { Field, type FieldOptions, type JsonValue } from "./field.js";

/** `T`, plus `null` when the options say `null: true`. */
export type Nullable<T, O> = O extends { null: true } ? T | null : T;
/** Whether `create()` may omit the field: it is nullable or has a default. */
export type HasDefault<O> = O extends { null: true } ? true : O extends { default: unknown } ? true : false;

type Scalar<T, O> = Field<Nullable<T, O>, HasDefault<O>>;

/**
 * Text with a maximum length (`varchar`).
 *
 * @example
 * questionText: CharField({ maxLength: 200 })
 */
export function CharField<const O extends FieldOptions<string> & { maxLength: number }>(options: O): Scalar<string, O> {
  return new Field("char", options);
}

/**
 * Unlimited text.
 *
 * @example
 * body: TextField({ blank: true, default: "" })
 */
export function TextField<const O extends FieldOptions<string>>(options?: O): Scalar<string, O> {
  return new Field("text", options ?? {});
}

/**
 * An e-mail address (a CharField of 254 characters, as Django's).
 *
 * @example
 * email: EmailField({ unique: true })
 */
export function EmailField<const O extends FieldOptions<string> & { maxLength?: number }>(options?: O): Scalar<string, O> {
  return new Field("char", { maxLength: 254, ...options });
}

/**
 * A URL slug (50 characters, indexed).
 *
 * @example
 * slug: SlugField({ unique: true })
 */
export function SlugField<const O extends FieldOptions<string> & { maxLength?: number }>(options?: O): Scalar<string, O> {
  return new Field("char", { maxLength: 50, dbIndex: true, ...options });
}

/**
 * A 32-bit integer.
 *
 * @example
 * votes: IntegerField({ default: 0 })
 */
export function IntegerField<const O extends FieldOptions<number>>(options?: O): Scalar<number, O> {
  return new Field("integer", options ?? {});
}

/**
 * A 64-bit integer, read as a JavaScript number (exact up to 2^53).
 *
 * @example
 * bytes: BigIntegerField()
 */
export function BigIntegerField<const O extends FieldOptions<number>>(options?: O): Scalar<number, O> {
  return new Field("bigint", options ?? {});
}

/**
 * A double-precision float.
 *
 * @example
 * rating: FloatField({ null: true })
 */
export function FloatField<const O extends FieldOptions<number>>(options?: O): Scalar<number, O> {
  return new Field("float", options ?? {});
}

/**
 * A fixed-point decimal, read as a string so no precision is lost (Django gives `Decimal`).
 *
 * @example
 * price: DecimalField({ maxDigits: 8, decimalPlaces: 2 })
 */
export function DecimalField<const O extends FieldOptions<string> & { maxDigits: number; decimalPlaces: number }>(options: O): Scalar<string, O> {
  return new Field("decimal", options);
}

/**
 * True or false.
 *
 * @example
 * isPublished: BooleanField({ default: false })
 */
export function BooleanField<const O extends FieldOptions<boolean>>(options?: O): Scalar<boolean, O> {
  return new Field("boolean", options ?? {});
}

type DateTimeOptions = FieldOptions<Date> & { autoNow?: boolean; autoNowAdd?: boolean };

/**
 * A moment (`timestamptz` on PostgreSQL, ISO-8601 UTC text on SQLite), read as a `Date`.
 * `autoNowAdd` sets it on creation, `autoNow` on every save.
 *
 * @example
 * pubDate: DateTimeField({ verboseName: "date published" })
 */
export function DateTimeField<const O extends DateTimeOptions>(options?: O): Field<Nullable<Date, O>, O extends { autoNow: true } | { autoNowAdd: true } ? true : HasDefault<O>> {
  return new Field("datetime", options ?? {});
}

/**
 * A calendar date, as a `"YYYY-MM-DD"` string (no time zone to get wrong).
 *
 * @example
 * birthday: DateField({ null: true })
 */
export function DateField<const O extends FieldOptions<string>>(options?: O): Scalar<string, O> {
  return new Field("date", options ?? {});
}

/**
 * Any JSON value (`jsonb` on PostgreSQL, text on SQLite).
 *
 * @example
 * tags: JSONField<string[]>({ default: () => [] })
 */
export function JSONField<T = JsonValue>(options: FieldOptions<T> & { default: T | (() => T); null?: false }): Field<T, true>;
export function JSONField<T = JsonValue>(options: FieldOptions<T> & { null: true }): Field<T | null, true>;
export function JSONField<T = JsonValue>(options?: FieldOptions<T>): Field<T, false>;
export function JSONField(options?: FieldOptions<unknown>): Field<unknown, boolean> {
  return new Field("json", options ?? {});
}

/**
 * A UUID string; as a primary key it defaults to a random one.
 *
 * @example
 * id: UUIDField({ primaryKey: true })
 */
export function UUIDField<const O extends FieldOptions<string>>(options?: O): Field<Nullable<string, O>, O extends { primaryKey: true } ? true : HasDefault<O>> {
  return new Field("uuid", options ?? {});
}

/**
 * An auto-incrementing primary key (every model gets `id: AutoField()` unless it declares a primary key).
 *
 * @example
 * id: AutoField()
 */
export function AutoField(options?: Pick<FieldOptions<number>, "dbColumn" | "verboseName">): Field<number, true> {
  return new Field("auto", { ...options, primaryKey: true });
}
