import type { MultiValueDict } from "../../http/multiValueDict.js";
import type { UploadedFile } from "../../http/body/uploadedFile.js";
import { renderFormTemplate } from "../renderer.js";
import { markSafe, type SafeHtml } from "../safeHtml.js";

/** HTML attributes: `true` prints the bare name, `false`/`undefined` omits it. */
export type Attrs = Record<string, string | number | boolean | undefined>;

/** Submitted form fields, read the way widgets need (a QueryDict is one). */
export interface FormDataSource {
  get(name: string): string | undefined;
  getList(name: string): string[];
  has(name: string): boolean;
}

/** Uploaded files by field name (what `request.FILES()` returns). */
export type FilesSource = Pick<MultiValueDict<UploadedFile>, "get" | "getList" | "has">;

/** What a widget template receives as `widget`. */
export interface WidgetContext {
  name: string;
  isHidden: boolean;
  required: boolean;
  /** The formatted value, or null when none is shown. */
  value: unknown;
  hasValue: boolean;
  attrs: Attrs;
  templateName: string;
  type?: string;
  [extra: string]: unknown;
}

/**
 * Renders one form control through a template (Django's `Widget`): `templateName`
 * under `django/forms/widgets/`, which a project overrides by adding a template of
 * the same name to its TEMPLATES.DIRS. Values are escaped by the template.
 *
 * @example
 * new TextInput({ class: "wide" }).render("title", "Hello"); // <input type="text" name="title" value="Hello" class="wide">
 */
export abstract class Widget {
  attrs: Attrs;
  abstract templateName: string;
  /** Rendered as `<input type="hidden">`, outside the visible rows. */
  isHidden = false;
  /** The form needs `enctype="multipart/form-data"`. */
  needsMultipartForm = false;
  /** Set by the field: prints the `required` attribute. */
  isRequired = false;
  /** Several controls: the label becomes a `<legend>` in a `<fieldset>`. */
  useFieldset = false;

  constructor(attrs: Attrs = {}) {
    this.attrs = { ...attrs };
  }

  /** The value as text for the control, or null to print none. */
  formatValue(value: unknown): string | null {
    if (value === null || value === undefined || value === "") return null;
    if (value instanceof Date) return value.toISOString();
    return String(value);
  }

  /** The `widget` variable of the template. */
  getContext(name: string, value: unknown, attrs: Attrs = {}): WidgetContext {
    const formatted = this.formatValue(value);
    return {
      name,
      isHidden: this.isHidden,
      required: this.isRequired,
      value: formatted,
      hasValue: formatted !== null,
      attrs: buildAttrs(this.attrs, attrs),
      templateName: this.templateName,
    };
  }

  /** The control's HTML, marked safe for templates. */
  render(name: string, value: unknown, attrs: Attrs = {}): SafeHtml {
    return markSafe(renderFormTemplate(this.templateName, { widget: this.getContext(name, value, attrs) }).trim());
  }

  /** The submitted value for this widget's field (a string, a list, a file, or undefined). */
  valueFromDatadict(data: FormDataSource, _files: FilesSource, name: string): unknown {
    return data.get(name);
  }

  /** Whether the field was left out of the submission altogether (for partial updates). */
  valueOmittedFromData(data: FormDataSource, _files: FilesSource, name: string): boolean {
    return !data.has(name);
  }

  /** A copy with its own attrs. */
  clone(): this {
    const copy: this = Object.create(Object.getPrototypeOf(this) as object);
    Object.assign(copy, this);
    copy.attrs = { ...this.attrs };
    return copy;
  }

  /** Whether to print `required` (false for a file input that already has a file). */
  useRequiredAttribute(initial: unknown): boolean {
    return !this.isHidden && (initial === undefined || initial === null || initial === "" || !this.needsMultipartForm);
  }

  /** The id a `<label for>` should point at. */
  idForLabel(id: string): string {
    return id;
  }
}

/** Merges attribute sets, the later winning; drops undefined. */
export function buildAttrs(...sets: Attrs[]): Attrs {
  const result: Attrs = {};
  for (const set of sets) for (const [key, value] of Object.entries(set)) if (value !== undefined) result[key] = value;
  return result;
}
