import { escapeHtml } from "../debug/html.js";
import type { Field } from "./fields/field.js";
import { ErrorList } from "./errorList.js";
import { markSafe, SafeHtml } from "./safeHtml.js";
import type { Attrs, Widget } from "./widgets/widget.js";

/** What a {@link BoundField} needs from its form. */
export interface FieldHost {
  readonly isBound: boolean;
  readonly autoId: string | false;
  readonly labelSuffix: string;
  readonly useRequiredAttribute: boolean;
  readonly errorCssClass: string;
  readonly requiredCssClass: string;
  addPrefix(name: string): string;
  fieldErrors(name: string): ErrorList | undefined;
  rawValue(name: string): unknown;
  initialFor(name: string): unknown;
}

/** `first_name` -> `First name` (Django's `pretty_name`); camelCase is split too. */
export function prettyName(name: string): string {
  const words = name.replace(/_/g, " ").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A field together with its form's data (Django's `BoundField`): what a template prints
 * for `{{ form.email }}` or each `{% for field in form %}`: the widget with the
 * submitted or initial value, plus `label`, `labelTag()`, `errors`, `helpText`.
 *
 * @example
 * const email = form.get("email");
 * email.value(); email.errors.messages; String(email); // <input type="email" ...>
 */
export class BoundField extends SafeHtml {
  readonly htmlName: string;
  readonly label: string;
  readonly helpText: string;

  constructor(
    readonly form: FieldHost,
    readonly field: Field<unknown, unknown, boolean>,
    readonly name: string,
  ) {
    super();
    this.htmlName = form.addPrefix(name);
    this.label = field.label ?? prettyName(name);
    this.helpText = field.helpText;
  }

  /** The field's errors (empty when valid or not yet validated). */
  get errors(): ErrorList {
    return this.form.fieldErrors(this.name) ?? new ErrorList();
  }

  get isHidden(): boolean {
    return this.field.widget.isHidden;
  }

  get useFieldset(): boolean {
    return this.field.widget.useFieldset;
  }

  get widgetType(): string {
    return this.field.widget.constructor.name.replace(/(Input|Widget)$/, "").toLowerCase();
  }

  /** `id_<name>` (the form's `autoId` pattern), or "" when ids are off. */
  get autoId(): string {
    const pattern = this.form.autoId;
    if (pattern === false) return "";
    return pattern.includes("%s") ? pattern.replace("%s", this.htmlName) : this.htmlName;
  }

  /** The id the label points at. */
  get idForLabel(): string {
    const id = typeof this.field.widget.attrs.id === "string" ? this.field.widget.attrs.id : this.autoId;
    return id === "" ? "" : this.field.widget.idForLabel(id);
  }

  /** The submitted value for this field, as the widget reads it. */
  get data(): unknown {
    return this.form.rawValue(this.name);
  }

  get initial(): unknown {
    return this.form.initialFor(this.name);
  }

  /** The value to show: the submission when bound (re-displayed after an error), else the initial value. */
  value(): unknown {
    const data = this.form.isBound ? this.field.boundData(this.data, this.initial) : this.initial;
    return this.field.prepareValue(data);
  }

  /** Attributes the form adds: id, required, disabled, aria-describedby, aria-invalid. */
  buildWidgetAttrs(widget: Widget, attrs: Attrs = {}): Attrs {
    const result: Attrs = { ...this.field.widgetAttrs(widget), ...attrs };
    if (this.autoId !== "" && widget.attrs.id === undefined && result.id === undefined) result.id = this.autoId;
    if (widget.useRequiredAttribute(this.initial) && this.form.useRequiredAttribute && this.field.required) result.required = true;
    if (this.field.disabled) result.disabled = true;
    if (this.helpText !== "" && this.autoId !== "" && !widget.isHidden) result["aria-describedby"] = `${this.autoId}_helptext`;
    if (this.form.isBound && this.errors.size > 0 && !widget.isHidden) result["aria-invalid"] = "true";
    return result;
  }

  /** The control's HTML with this field's widget (or another one). */
  asWidget(widget: Widget = this.field.widget, attrs: Attrs = {}): SafeHtml {
    return widget.render(this.htmlName, this.value(), this.buildWidgetAttrs(widget, attrs));
  }

  toHtml(): string {
    return this.asWidget().toHtml();
  }

  /** The label text with the suffix (":" unless it already ends in punctuation). */
  labelText(): string {
    const suffix = this.field.labelSuffix ?? this.form.labelSuffix;
    return this.label !== "" && suffix !== "" && !/[:?.!]$/.test(this.label) ? this.label + suffix : this.label;
  }

  /** `<label for="id_x">Label:</label>`, escaped. */
  labelTag(contents?: string, attrs: Attrs = {}, tag = "label"): SafeHtml {
    const text = escapeHtml(contents ?? this.labelText());
    const id = this.idForLabel;
    const all: Attrs = { ...(id !== "" && tag === "label" && { for: id }), ...attrs };
    if (this.field.required && this.form.requiredCssClass) all.class = [all.class, this.form.requiredCssClass].filter(Boolean).join(" ");
    const printed = Object.entries(all)
      .filter(([, value]) => value !== undefined && value !== false)
      .map(([key, value]) => (value === true ? ` ${key}` : ` ${key}="${escapeHtml(String(value))}"`))
      .join("");
    return markSafe(`<${tag}${printed}>${text}</${tag}>`);
  }

  /** The label as a `<legend>`, for fields shown as a `<fieldset>` (radio and checkbox lists). */
  legendTag(contents?: string, attrs: Attrs = {}): SafeHtml {
    return this.labelTag(contents, attrs, "legend");
  }

  /** The CSS classes of the field's row: the form's `errorCssClass` and `requiredCssClass`. */
  cssClasses(extra = ""): string {
    const classes = extra.split(/\s+/).filter(Boolean);
    if (this.errors.size > 0 && this.form.errorCssClass) classes.push(this.form.errorCssClass);
    if (this.field.required && this.form.requiredCssClass) classes.push(this.form.requiredCssClass);
    return classes.join(" ");
  }
}
