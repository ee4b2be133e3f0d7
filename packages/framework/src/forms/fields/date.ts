import { Field, type FieldOptions } from "./field.js";
import { DateInput, DateTimeInput, formatDate } from "../widgets/input.js";
import type { Widget } from "../widgets/widget.js";

/** Builds a UTC Date, or undefined when a part is out of range (Feb 30, hour 25). */
function utcDate(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): Date | undefined {
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(year);
  const fits =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
    date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  return fits ? date : undefined;
}

/**
 * Parses a date as Django's default DATE_INPUT_FORMATS do: `2026-12-31`, `12/31/2026`, `12/31/26`.
 *
 * @example
 * parseDate("2026-02-30"); // undefined
 */
export function parseDate(text: string): Date | undefined {
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) return utcDate(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})$/.exec(text);
  if (match) {
    let year = Number(match[3]);
    // Python's %y: 69-99 are 19xx, 00-68 are 20xx.
    if ((match[3] ?? "").length === 2) year += year < 69 ? 2000 : 1900;
    return utcDate(year, Number(match[1]), Number(match[2]));
  }
  return undefined;
}

/**
 * Parses an ISO 8601 date and time (`T` or a space between), with optional seconds,
 * fraction and offset (`Z`, `+02:00`); without an offset the time is UTC.
 *
 * @example
 * parseDateTime("2026-12-31 23:59")?.toISOString(); // "2026-12-31T23:59:00.000Z"
 */
export function parseDateTime(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (!match) return undefined;
  const ms = Math.floor(Number(`0.${match[7] ?? "0"}`) * 1000);
  const date = utcDate(Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4] ?? 0), Number(match[5] ?? 0), Number(match[6] ?? 0), ms);
  if (date === undefined) return undefined;
  const offset = match[8];
  if (offset !== undefined && offset.toUpperCase() !== "Z") {
    const sign = offset.startsWith("-") ? -1 : 1;
    const digits = offset.slice(1).replace(":", "");
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    return new Date(date.getTime() - sign * minutes * 60_000);
  }
  return date;
}

/**
 * A calendar date (Django's `DateField`), cleaned to a `Date` at midnight UTC.
 *
 * @example
 * new DateField().clean("2026-12-31"); // Date 2026-12-31T00:00:00Z
 */
export class DateField<R extends boolean = true> extends Field<Date, null, R> {
  readonly emptyValue = null;

  constructor(options: FieldOptions<R> = {}) {
    super(options);
  }

  protected override defaultWidget(): Widget {
    return new DateInput();
  }

  protected override defaultErrorMessages(): Record<string, string> {
    return { ...super.defaultErrorMessages(), invalid: "Enter a valid date." };
  }

  toPython(value: unknown): Date | null {
    if (value === null || value === undefined || value === "") return null;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw this.error("invalid");
      return utcDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()) ?? null;
    }
    const text = String(value).trim();
    if (text === "") return null;
    const date = parseDate(text);
    if (date === undefined) throw this.error("invalid");
    return date;
  }

  override prepareValue(value: unknown): unknown {
    return value instanceof Date ? formatDate(value) : value;
  }
}

/**
 * A moment (Django's `DateTimeField`), cleaned to a `Date`; times without an offset are UTC.
 *
 * @example
 * new DateTimeField().clean("2026-12-31T08:30"); // Date 2026-12-31T08:30:00Z
 */
export class DateTimeField<R extends boolean = true> extends Field<Date, null, R> {
  readonly emptyValue = null;

  constructor(options: FieldOptions<R> = {}) {
    super(options);
  }

  protected override defaultWidget(): Widget {
    return new DateTimeInput();
  }

  protected override defaultErrorMessages(): Record<string, string> {
    return { ...super.defaultErrorMessages(), invalid: "Enter a valid date/time." };
  }

  toPython(value: unknown): Date | null {
    if (value === null || value === undefined || value === "") return null;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw this.error("invalid");
      return value;
    }
    const text = String(value).trim();
    if (text === "") return null;
    const date = parseDateTime(text) ?? parseDate(text);
    if (date === undefined) throw this.error("invalid");
    return date;
  }
}

/**
 * A time of day (Django's `TimeField`), cleaned to `"HH:MM:SS"`.
 *
 * @example
 * new TimeField().clean("9:05"); // "09:05:00"
 */
export class TimeField<R extends boolean = true> extends Field<string, null, R> {
  readonly emptyValue = null;

  constructor(options: FieldOptions<R> = {}) {
    super(options);
  }

  protected override defaultErrorMessages(): Record<string, string> {
    return { ...super.defaultErrorMessages(), invalid: "Enter a valid time." };
  }

  toPython(value: unknown): string | null {
    if (value === null || value === undefined) return null;
    const text = String(value).trim();
    if (text === "") return null;
    const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
    if (!match || Number(match[1]) > 23 || Number(match[2]) > 59 || Number(match[3] ?? 0) > 59) throw this.error("invalid");
    return `${(match[1] ?? "").padStart(2, "0")}:${match[2]}:${match[3] ?? "00"}`;
  }
}
