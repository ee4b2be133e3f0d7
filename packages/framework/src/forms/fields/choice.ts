import { Field, isEmptyValue, type FieldOptions } from "./field.js";
import { ChoiceWidget, flattenChoices, Select, SelectMultiple, type Choices } from "../widgets/choice.js";
import type { Widget } from "../widgets/widget.js";

/** Options of the choice fields: the choices, `[value, label]` pairs, optionally grouped. */
export interface ChoiceFieldOptions<V extends string, R extends boolean> extends FieldOptions<R> {
  choices: Choices<V>;
}

/**
 * One value from a fixed list (Django's `ChoiceField`), typed from the choices:
 * `choices: [["s", "Small"], ["l", "Large"]] as const` cleans to `"s" | "l"`.
 *
 * @example
 * new ChoiceField({ choices: [["s", "Small"], ["l", "Large"]] as const, widget: new RadioSelect() })
 */
export class ChoiceField<V extends string = string, R extends boolean = true> extends Field<V, "", R> {
  readonly emptyValue = "" as const;
  protected choiceList: Choices<V>;

  constructor(options: ChoiceFieldOptions<V, R>) {
    super(options);
    this.choiceList = options.choices;
    this.syncWidget();
  }

  protected override defaultWidget(): Widget {
    return new Select();
  }

  protected override defaultErrorMessages(): Record<string, string> {
    return { ...super.defaultErrorMessages(), invalid_choice: "Select a valid choice. %(value)s is not one of the available choices." };
  }

  get choices(): Choices<V> {
    return this.choiceList;
  }

  /** Replacing the choices updates the widget too (as in Django). */
  set choices(choices: Choices<V>) {
    this.choiceList = choices;
    this.syncWidget();
  }

  protected syncWidget(): void {
    if (this.widget instanceof ChoiceWidget) this.widget.choices = this.choiceList;
  }

  /** Whether `value` is one of the choices. */
  validValue(value: string): boolean {
    return flattenChoices(this.choiceList).some(([choice]) => choice === value);
  }

  toPython(value: unknown): V | "" {
    if (isEmptyValue(value)) return "";
    if (typeof value !== "string" && typeof value !== "number") throw this.error("invalid_choice", { value: String(value) });
    return String(value) as V;
  }

  override validate(value: V | ""): void {
    super.validate(value);
    if (value !== "" && !this.validValue(value)) throw this.error("invalid_choice", { value });
  }
}

/**
 * Several values from a fixed list (Django's `MultipleChoiceField`), cleaned to an array.
 *
 * @example
 * new MultipleChoiceField({ choices: [["a", "Apples"], ["b", "Bananas"]], widget: new CheckboxSelectMultiple() })
 */
export class MultipleChoiceField<V extends string = string, R extends boolean = true> extends Field<V[], V[], R> {
  readonly emptyValue: V[] = [];
  protected choiceList: Choices<V>;

  constructor(options: ChoiceFieldOptions<V, R>) {
    super(options);
    this.choiceList = options.choices;
    if (this.widget instanceof ChoiceWidget) this.widget.choices = this.choiceList;
  }

  protected override defaultWidget(): Widget {
    return new SelectMultiple();
  }

  protected override defaultErrorMessages(): Record<string, string> {
    return {
      ...super.defaultErrorMessages(),
      invalid_choice: "Select a valid choice. %(value)s is not one of the available choices.",
      invalid_list: "Enter a list of values.",
    };
  }

  get choices(): Choices<V> {
    return this.choiceList;
  }

  set choices(choices: Choices<V>) {
    this.choiceList = choices;
    if (this.widget instanceof ChoiceWidget) this.widget.choices = choices;
  }

  toPython(value: unknown): V[] {
    if (value === null || value === undefined || value === "") return [];
    if (!Array.isArray(value)) throw this.error("invalid_list");
    return value.map((item) => String(item) as V);
  }

  override validate(value: V[]): void {
    super.validate(value);
    const valid = new Set(flattenChoices(this.choiceList).map(([choice]) => choice as string));
    for (const item of value) if (!valid.has(item)) throw this.error("invalid_choice", { value: item });
  }

  override hasChanged(initial: unknown, data: unknown): boolean {
    const a = new Set(Array.isArray(initial) ? initial.map(String) : []);
    const b = new Set(Array.isArray(data) ? data.map(String) : []);
    return a.size !== b.size || [...a].some((value) => !b.has(value));
  }
}
