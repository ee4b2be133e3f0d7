import { Field, type FieldOptions } from "./field.js";
import { NumberInput } from "../widgets/input.js";
import type { Attrs, Widget } from "../widgets/widget.js";

/** Options of the number fields. */
export interface NumberFieldOptions<R extends boolean> extends FieldOptions<R> {
  minValue?: number;
  maxValue?: number;
  /** Values must be `stepSize` apart (from `minValue`, else 0). */
  stepSize?: number;
}

/** Shared range and step checks of the number fields. */
abstract class NumberField<T, R extends boolean> extends Field<T, null, R> {
  readonly emptyValue = null;
  readonly minValue: number | undefined;
  readonly maxValue: number | undefined;
  readonly stepSize: number | undefined;

  constructor(options: NumberFieldOptions<R> = {}) {
    super(options);
    this.minValue = options.minValue;
    this.maxValue = options.maxValue;
    this.stepSize = options.stepSize;
  }

  protected override defaultWidget(): Widget {
    return new NumberInput();
  }

  protected override defaultErrorMessages(): Record<string, string> {
    return {
      ...super.defaultErrorMessages(),
      max_value: "Ensure this value is less than or equal to %(limit_value)s.",
      min_value: "Ensure this value is greater than or equal to %(limit_value)s.",
      step_size: "Ensure this value is a multiple of step size %(limit_value)s.",
    };
  }

  /** The value as a number for the range checks. */
  protected abstract numeric(value: T): number;

  override validate(value: T | null): void {
    super.validate(value);
    if (value === null) return;
    const n = this.numeric(value);
    if (this.maxValue !== undefined && n > this.maxValue) throw this.error("max_value", { limit_value: this.maxValue });
    if (this.minValue !== undefined && n < this.minValue) throw this.error("min_value", { limit_value: this.minValue });
    if (this.stepSize !== undefined) {
      const offset = (n - (this.minValue ?? 0)) / this.stepSize;
      if (Math.abs(offset - Math.round(offset)) > 1e-9) throw this.error("step_size", { limit_value: this.stepSize });
    }
  }

  override widgetAttrs(widget: Widget): Attrs {
    if (!(widget instanceof NumberInput)) return {};
    return {
      ...(this.minValue !== undefined && { min: this.minValue }),
      ...(this.maxValue !== undefined && { max: this.maxValue }),
      ...(this.stepSize !== undefined && { step: this.stepSize }),
    };
  }
}

/**
 * A whole number (Django's `IntegerField`): "12", " 12 ", "12.0" clean to 12; "1.5" is invalid.
 *
 * @example
 * new IntegerField({ minValue: 1, maxValue: 10 })
 */
export class IntegerField<R extends boolean = true> extends NumberField<number, R> {
  protected override defaultErrorMessages(): Record<string, string> {
    return { ...super.defaultErrorMessages(), invalid: "Enter a whole number." };
  }
  toPython(value: unknown): number | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value)) throw this.error("invalid");
      return value;
    }
    const text = String(value).trim();
    if (text === "") return null;
    // Django accepts "12.0" (int(float)) but not "1.5"; no hex, no exponents, no Infinity.
    const match = /^([+-]?\d+)(\.0*)?$/.exec(text);
    if (!match) throw this.error("invalid");
    const n = Number(match[1]);
    if (!Number.isSafeInteger(n)) throw this.error("invalid");
    return n;
  }
  protected numeric(value: number): number {
    return value;
  }
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * A float (Django's `FloatField`): finite numbers only.
 *
 * @example
 * new FloatField({ minValue: 0 }).clean("2.5"); // 2.5
 */
export class FloatField<R extends boolean = true> extends NumberField<number, R> {
  protected override defaultErrorMessages(): Record<string, string> {
    return { ...super.defaultErrorMessages(), invalid: "Enter a number." };
  }
  toPython(value: unknown): number | null {
    if (value === null || value === undefined) return null;
    const text = String(value).trim();
    if (text === "") return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) throw this.error("invalid");
    const n = Number(text);
    if (!Number.isFinite(n)) throw this.error("invalid");
    return n;
  }
  protected numeric(value: number): number {
    return value;
  }
  override widgetAttrs(widget: Widget): Attrs {
    const attrs = super.widgetAttrs(widget);
    return widget instanceof NumberInput && attrs.step === undefined ? { ...attrs, step: "any" } : attrs;
  }
}

/** Options of {@link DecimalField}. */
export interface DecimalFieldOptions<R extends boolean> extends NumberFieldOptions<R> {
  /** Most digits in all. */
  maxDigits?: number;
  /** Most digits after the point. */
  decimalPlaces?: number;
}

/**
 * An exact decimal (Django's `DecimalField`), cleaned to its normalised **string**
 * ("12.50", "-0.5") so no precision is lost to binary floats; store it in a DECIMAL column.
 *
 * @example
 * new DecimalField({ maxDigits: 6, decimalPlaces: 2 }).clean("12.5"); // "12.5"
 */
export class DecimalField<R extends boolean = true> extends NumberField<string, R> {
  readonly maxDigits: number | undefined;
  readonly decimalPlaces: number | undefined;

  constructor(options: DecimalFieldOptions<R> = {}) {
    super(options);
    this.maxDigits = options.maxDigits;
    this.decimalPlaces = options.decimalPlaces;
  }

  protected override defaultErrorMessages(): Record<string, string> {
    return {
      ...super.defaultErrorMessages(),
      invalid: "Enter a number.",
      max_digits: "Ensure that there are no more than %(max)s digits in total.",
      max_decimal_places: "Ensure that there are no more than %(max)s decimal places.",
      max_whole_digits: "Ensure that there are no more than %(max)s digits before the decimal point.",
    };
  }

  toPython(value: unknown): string | null {
    if (value === null || value === undefined) return null;
    const text = String(value).trim();
    if (text === "") return null;
    const match = DECIMAL.exec(text);
    if (!match || (match[2] === "" && (match[3] ?? "") === "")) throw this.error("invalid");
    const sign = match[1] === "-" ? "-" : "";
    const whole = (match[2] ?? "").replace(/^0+(?=\d)/, "") || "0";
    const fraction = match[3] ?? "";
    const normal = fraction === "" ? whole : `${whole}.${fraction}`;
    return /^0(\.0*)?$/.test(normal) ? normal : sign + normal;
  }

  protected numeric(value: string): number {
    return Number(value);
  }

  override validate(value: string | null): void {
    super.validate(value);
    if (value === null) return;
    const [whole = "", fraction = ""] = value.replace("-", "").split(".");
    const wholeDigits = whole === "0" ? 0 : whole.length;
    const decimals = fraction.length;
    const digits = wholeDigits + decimals;
    if (this.maxDigits !== undefined && digits > this.maxDigits) throw this.error("max_digits", { max: this.maxDigits });
    if (this.decimalPlaces !== undefined && decimals > this.decimalPlaces) throw this.error("max_decimal_places", { max: this.decimalPlaces });
    if (this.maxDigits !== undefined && this.decimalPlaces !== undefined && wholeDigits > this.maxDigits - this.decimalPlaces) {
      throw this.error("max_whole_digits", { max: this.maxDigits - this.decimalPlaces });
    }
  }

  override widgetAttrs(widget: Widget): Attrs {
    const attrs = super.widgetAttrs(widget);
    if (!(widget instanceof NumberInput) || attrs.step !== undefined) return attrs;
    return { ...attrs, step: this.decimalPlaces === undefined ? "any" : this.decimalPlaces === 0 ? "1" : `0.${"0".repeat(this.decimalPlaces - 1)}1` };
  }
}
