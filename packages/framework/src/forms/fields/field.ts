import { interpolate, ValidationError } from "../validationError.js";
import { TextInput } from "../widgets/input.js";
import type { Attrs, Widget } from "../widgets/widget.js";

/** A validator: throws {@link ValidationError} when the value is not acceptable. */
export type Validator<T> = {
  bivarianceHack(value: T): void;
}["bivarianceHack"];

/** Options every field takes (Django's `Field` arguments, camelCased). */
export interface FieldOptions<R extends boolean = true> {
  /** Default true: an empty value is an error ("This field is required."). */
  required?: R;
  /** The label; default is the field name, capitalised, underscores as spaces. */
  label?: string;
  /** Shown when the form is unbound. */
  initial?: unknown;
  /** Text shown under the control (escaped). */
  helpText?: string;
  widget?: Widget;
  /** Never taken from the submission: the initial value is used. */
  disabled?: boolean;
  /** Override messages by code (`required`, `invalid`, `max_length`, ...). */
  errorMessages?: Record<string, string>;
  validators?: readonly Validator<never>[];
  /** Printed after the label (default the form's, ":"). */
  labelSuffix?: string;
}

/** Values Django treats as "nothing was entered". */
export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/**
 * A form field (Django's `forms.Field`): turns the submitted text into a typed value
 * (`toPython`), checks it (`validate`, then each validator) and says how to show it.
 * `T` is the cleaned type, `E` the value of an empty optional field (null, or "" for
 * text), and `R` whether it is required, so `cleanedData` is typed from the fields.
 *
 * @example
 * const age = new IntegerField({ minValue: 0, required: false }); // cleans to number | null
 */
export abstract class Field<T = unknown, E = null, R extends boolean = boolean> {
  /** Type-level only: what `clean()` returns for this field. */
  declare readonly cleanedType: R extends false ? T | E : T;
  readonly required: boolean;
  label: string | undefined;
  initial: unknown;
  helpText: string;
  widget: Widget;
  disabled: boolean;
  labelSuffix: string | undefined;
  readonly validators: Validator<T>[];
  readonly errorMessages: Record<string, string>;
  /** The value of an empty optional field. */
  abstract readonly emptyValue: E;
  /** The widget used when none is given. */
  protected defaultWidget(): Widget {
    return new TextInput();
  }
  /** Messages by code; subclasses add theirs. */
  protected defaultErrorMessages(): Record<string, string> {
    return { required: "This field is required." };
  }

  constructor(options: FieldOptions<R> = {}) {
    this.required = options.required ?? true;
    this.label = options.label;
    this.initial = options.initial;
    this.helpText = options.helpText ?? "";
    this.disabled = options.disabled ?? false;
    this.labelSuffix = options.labelSuffix;
    this.validators = [...((options.validators ?? []) as readonly Validator<T>[])];
    this.errorMessages = { ...this.defaultErrorMessages(), ...options.errorMessages };
    this.widget = options.widget ?? this.defaultWidget();
    this.widget.isRequired = this.required;
  }

  /** A ValidationError with this field's message for `code`. */
  error(code: string, params?: Record<string, unknown>): ValidationError {
    const message = this.errorMessages[code] ?? code;
    return new ValidationError(interpolate(message, params), { code, ...(params && { params }) });
  }

  /** Converts the submitted value; throws ValidationError("invalid") when it cannot. */
  abstract toPython(value: unknown): T | E;

  /** Checks that do not depend on validators: by default, `required`. */
  validate(value: T | E): void {
    if (isEmptyValue(value) && this.required) throw this.error("required");
  }

  /** Runs the validators on a non-empty value, collecting every message. */
  runValidators(value: T | E): void {
    if (isEmptyValue(value)) return;
    const errors: ValidationError[] = [];
    for (const validator of this.validators) {
      try {
        validator(value as T);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new ValidationError(errors);
  }

  /** `toPython`, `validate`, `runValidators`: the cleaned value, or a ValidationError. */
  clean(value: unknown): T | E {
    const converted = this.toPython(value);
    this.validate(converted);
    this.runValidators(converted);
    return converted;
  }

  /** The value shown for a bound form: the submission, or the initial value when disabled. */
  boundData(data: unknown, initial: unknown): unknown {
    return this.disabled ? initial : data;
  }

  /** The value as the widget shows it. */
  prepareValue(value: unknown): unknown {
    return value;
  }

  /** Extra attributes this field puts on its widget (`maxlength`, `min`, ...); the widget's own attrs win. */
  widgetAttrs(_widget: Widget): Attrs {
    return {};
  }

  /** A copy for one form instance (its widget copied too), so changing it leaves the class's field alone. */
  clone(): this {
    const copy: this = Object.create(Object.getPrototypeOf(this) as object);
    Object.assign(copy, this);
    copy.widget = this.widget.clone();
    return copy;
  }

  /** Whether the submission differs from the initial value. */
  hasChanged(initial: unknown, data: unknown): boolean {
    let cleaned: unknown;
    try {
      cleaned = this.toPython(data);
    } catch {
      return true;
    }
    const show = (value: unknown): string => (isEmptyValue(value) ? "" : JSON.stringify(this.prepareValue(value)));
    return show(initial) !== show(cleaned);
  }
}

/** The value type a field cleans to. */
export type FieldValue<F> = F extends { readonly cleanedType: infer V } ? V : never;
