import { buildAttrs, Widget, type Attrs, type FilesSource, type FormDataSource, type WidgetContext } from "./widget.js";

/** One choice: `[value, label]`. */
export type Choice<V extends string = string> = readonly [V, string];
/** A named group of choices (`<optgroup>`): `[groupLabel, [[value, label], ...]]`. */
export type ChoiceGroup<V extends string = string> = readonly [string, readonly Choice<V>[]];
/** Django's `choices`: pairs, optionally grouped. */
export type Choices<V extends string = string> = readonly (Choice<V> | ChoiceGroup<V>)[];

/** One option as its template sees it. */
export interface OptionContext {
  name: string;
  value: string;
  label: string;
  selected: boolean;
  index: string;
  attrs: Attrs;
  type: string;
  templateName: string;
}

/**
 * Pairs of choices, flattening groups.
 *
 * @example
 * flattenChoices([["fruit", [["a", "Apple"]]], ["b", "Bread"]]); // [["a","Apple"],["b","Bread"]]
 */
export function flattenChoices<V extends string>(choices: Choices<V>): Choice<V>[] {
  const flat: Choice<V>[] = [];
  for (const entry of choices) {
    const second = entry[1];
    if (typeof second === "string") flat.push(entry as Choice<V>);
    else flat.push(...second);
  }
  return flat;
}

/** A widget offering choices (Django's `ChoiceWidget`). */
export abstract class ChoiceWidget extends Widget {
  choices: Choices = [];
  allowMultipleSelected = false;
  /** `type` of each `<input>` (radio, checkbox) for the list widgets. */
  inputType = "";
  abstract optionTemplateName: string;
  /** Each option gets `id_<name>_<n>` (the radio and checkbox lists). */
  addIdIndex = true;

  constructor(attrs: Attrs = {}, choices: Choices = []) {
    super(attrs);
    this.choices = choices;
  }

  override formatValue(): string | null {
    return null;
  }

  /** The selected values as text. */
  selectedValues(value: unknown): string[] {
    if (value === null || value === undefined) return [];
    const list = Array.isArray(value) ? value : [value];
    return list.map((item) => String(item));
  }

  override getContext(name: string, value: unknown, attrs: Attrs = {}): WidgetContext {
    const context = super.getContext(name, value, attrs);
    const selected = this.selectedValues(value);
    let index = 0;
    let anySelected = false;
    const optgroups = this.choices.map((entry) => {
      const second = entry[1];
      const grouped = typeof second !== "string";
      const pairs: readonly Choice[] = grouped ? second : [entry as Choice];
      const options = pairs.map(([optionValue, label]) => {
        const isSelected = selected.includes(String(optionValue)) && (this.allowMultipleSelected || !anySelected);
        if (isSelected) anySelected = true;
        const optionAttrs: Attrs = this.optionAttrs(context.attrs, index, isSelected);
        const option: OptionContext = {
          name,
          value: String(optionValue),
          label,
          selected: isSelected,
          index: String(index),
          attrs: optionAttrs,
          type: this.inputType,
          templateName: this.optionTemplateName,
        };
        index++;
        return option;
      });
      return { name: grouped ? entry[0] : null, options };
    });
    return { ...context, value: selected, hasValue: selected.length > 0, optgroups };
  }

  /** Attributes of one option: `selected`/`checked`, and its own id for the list widgets. */
  optionAttrs(widgetAttrs: Attrs, index: number, selected: boolean): Attrs {
    const attrs: Attrs = {};
    if (this.addIdIndex && typeof widgetAttrs.id === "string") attrs.id = `${widgetAttrs.id}_${index}`;
    if (selected) attrs[this.inputType === "" ? "selected" : "checked"] = true;
    // One required radio in a group makes the group required; required checkboxes would all need ticking.
    if (this.inputType === "radio" && widgetAttrs.required === true) attrs.required = true;
    return attrs;
  }

  override idForLabel(id: string): string {
    return this.addIdIndex ? `${id}_0` : id;
  }
}

/** `<select>`. @example new ChoiceField({ choices, widget: new Select({ class: "pick" }) }) */
export class Select extends ChoiceWidget {
  templateName = "django/forms/widgets/select.html";
  optionTemplateName = "django/forms/widgets/select_option.html";
  override addIdIndex = false;

  override optionAttrs(_widgetAttrs: Attrs, _index: number, selected: boolean): Attrs {
    return selected ? { selected: true } : {};
  }
}

/** `<select multiple>`. @example new MultipleChoiceField({ choices, widget: new SelectMultiple() }) */
export class SelectMultiple extends Select {
  override allowMultipleSelected = true;

  override getContext(name: string, value: unknown, attrs: Attrs = {}): WidgetContext {
    return super.getContext(name, value, buildAttrs(attrs, { multiple: true }));
  }

  override valueFromDatadict(data: FormDataSource, _files: FilesSource, name: string): unknown {
    return data.getList(name);
  }

  override valueOmittedFromData(): boolean {
    // An empty multiple select is absent from the submission: never "omitted".
    return false;
  }
}

/** Radio buttons in a `<div>` (Django's `RadioSelect`). @example new ChoiceField({ choices, widget: new RadioSelect() }) */
export class RadioSelect extends ChoiceWidget {
  templateName = "django/forms/widgets/radio.html";
  optionTemplateName = "django/forms/widgets/input_option.html";
  override inputType = "radio";
  override useFieldset = true;
}

/** Checkboxes, one per choice (Django's `CheckboxSelectMultiple`). @example new MultipleChoiceField({ choices, widget: new CheckboxSelectMultiple() }) */
export class CheckboxSelectMultiple extends RadioSelect {
  override templateName = "django/forms/widgets/checkbox_select.html";
  override inputType = "checkbox";
  override allowMultipleSelected = true;

  override getContext(name: string, value: unknown, attrs: Attrs = {}): WidgetContext {
    // `required` on every box would force ticking all of them.
    const context = super.getContext(name, value, attrs);
    const { required: _required, ...rest } = context.attrs;
    return { ...context, attrs: rest };
  }

  override valueFromDatadict(data: FormDataSource, _files: FilesSource, name: string): unknown {
    return data.getList(name);
  }

  override valueOmittedFromData(): boolean {
    return false;
  }
}
