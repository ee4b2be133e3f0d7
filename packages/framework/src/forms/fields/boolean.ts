import { Field, type FieldOptions } from "./field.js";
import { CheckboxInput } from "../widgets/input.js";
import type { Widget } from "../widgets/widget.js";

/**
 * A checkbox (Django's `BooleanField`): "false", "0", "off" and an absent box are false.
 * Required (the default) means it must be ticked ("I accept the terms"); pass
 * `required: false` for an ordinary yes/no box.
 *
 * @example
 * new BooleanField({ required: false, label: "Subscribe" })
 */
export class BooleanField<R extends boolean = true> extends Field<boolean, boolean, R> {
  readonly emptyValue = false;

  constructor(options: FieldOptions<R> = {}) {
    super(options);
  }

  protected override defaultWidget(): Widget {
    return new CheckboxInput();
  }

  toPython(value: unknown): boolean {
    if (typeof value === "string" && ["false", "0", "off", ""].includes(value.toLowerCase())) return false;
    return Boolean(value);
  }

  override validate(value: boolean): void {
    if (!value && this.required) throw this.error("required");
  }

  override hasChanged(initial: unknown, data: unknown): boolean {
    if (this.disabled) return false;
    return this.toPython(initial) !== this.toPython(data);
  }
}
