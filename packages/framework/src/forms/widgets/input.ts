import { Widget, type Attrs, type FilesSource, type FormDataSource, type WidgetContext } from "./widget.js";

/** An `<input>` of some type (Django's `Input`). */
export abstract class Input extends Widget {
  abstract inputType: string;

  override getContext(name: string, value: unknown, attrs: Attrs = {}): WidgetContext {
    return { ...super.getContext(name, value, attrs), type: this.inputType };
  }
}

/** `<input type="text">`. @example new CharField({ widget: new TextInput({ placeholder: "Name" }) }) */
export class TextInput extends Input {
  inputType = "text";
  templateName = "django/forms/widgets/text.html";
}

/** `<input type="number">`. @example new IntegerField({ widget: new NumberInput({ step: 5 }) }) */
export class NumberInput extends Input {
  inputType = "number";
  templateName = "django/forms/widgets/number.html";
}

/** `<input type="email">`. @example new EmailField({ widget: new EmailInput() }) */
export class EmailInput extends Input {
  inputType = "email";
  templateName = "django/forms/widgets/email.html";
}

/** `<input type="url">`. @example new URLField({ widget: new URLInput() }) */
export class URLInput extends Input {
  inputType = "url";
  templateName = "django/forms/widgets/url.html";
}

/** `<input type="search">`. @example new CharField({ widget: new SearchInput() }) */
export class SearchInput extends Input {
  inputType = "search";
  templateName = "django/forms/widgets/search.html";
}

/**
 * `<input type="password">`: the value is never printed back (not after a failed
 * submission either), unless `renderValue` is set.
 *
 * @example
 * new CharField({ widget: new PasswordInput() })
 */
export class PasswordInput extends Input {
  inputType = "password";
  templateName = "django/forms/widgets/password.html";

  constructor(attrs: Attrs = {}, readonly renderValue = false) {
    super(attrs);
  }

  override getContext(name: string, value: unknown, attrs: Attrs = {}): WidgetContext {
    return super.getContext(name, this.renderValue ? value : null, attrs);
  }
}

/** `<input type="hidden">`. @example new CharField({ widget: new HiddenInput() }) */
export class HiddenInput extends Input {
  inputType = "hidden";
  templateName = "django/forms/widgets/hidden.html";
  override isHidden = true;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `YYYY-MM-DD` of a Date (UTC), or the text unchanged. */
export function formatDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  return value === null || value === undefined || value === "" ? null : String(value);
}

/** `<input type="date">`, values as `YYYY-MM-DD`. @example new DateField({ widget: new DateInput() }) */
export class DateInput extends Input {
  inputType = "date";
  templateName = "django/forms/widgets/date.html";
  override formatValue(value: unknown): string | null {
    return formatDate(value);
  }
}

/** `<input type="datetime-local">`, values as `YYYY-MM-DDTHH:MM:SS` (UTC). @example new DateTimeField({ widget: new DateTimeInput() }) */
export class DateTimeInput extends Input {
  inputType = "datetime-local";
  templateName = "django/forms/widgets/datetime.html";
  override formatValue(value: unknown): string | null {
    if (value instanceof Date) {
      const date = formatDate(value);
      if (date === null) return null;
      return `${date}T${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
    }
    return super.formatValue(value);
  }
}

/** `<textarea>`, 40 columns by 10 rows unless the attrs say otherwise. @example new CharField({ widget: new Textarea({ rows: 4 }) }) */
export class Textarea extends Widget {
  templateName = "django/forms/widgets/textarea.html";
  constructor(attrs: Attrs = {}) {
    super({ cols: 40, rows: 10, ...attrs });
  }
}

/**
 * `<input type="checkbox">` (Django's `CheckboxInput`): checked when the value is true;
 * an unchecked box is absent from the submission, so it reads as false.
 *
 * @example
 * new BooleanField({ required: false, widget: new CheckboxInput() })
 */
export class CheckboxInput extends Input {
  inputType = "checkbox";
  templateName = "django/forms/widgets/checkbox.html";

  constructor(attrs: Attrs = {}, readonly checkTest: (value: unknown) => boolean = (value) => value === true || value === "true" || value === "on" || value === "1" || value === 1) {
    super(attrs);
  }

  override formatValue(value: unknown): string | null {
    // Only a real value ("yes") goes in value="..."; booleans just tick the box.
    if (value === true || value === false || value === null || value === undefined || value === "") return null;
    return String(value);
  }

  override getContext(name: string, value: unknown, attrs: Attrs = {}): WidgetContext {
    return super.getContext(name, value, this.checkTest(value) ? { ...attrs, checked: true } : attrs);
  }

  override valueFromDatadict(data: FormDataSource, _files: FilesSource, name: string): unknown {
    if (!data.has(name)) return false;
    const value = data.get(name);
    const known: Record<string, boolean> = { true: true, false: false, on: true, off: false, "1": true, "0": false };
    return value !== undefined && value.toLowerCase() in known ? known[value.toLowerCase()] : Boolean(value);
  }

  override valueOmittedFromData(): boolean {
    return false;
  }
}

/** `<input type="file">`; the value is never printed (browsers refuse it anyway). @example new FileField({ widget: new FileInput({ accept: "image/*" }) }) */
export class FileInput extends Input {
  inputType = "file";
  templateName = "django/forms/widgets/file.html";
  override needsMultipartForm = true;

  override formatValue(): string | null {
    return null;
  }

  override valueFromDatadict(_data: FormDataSource, files: FilesSource, name: string): unknown {
    return files.get(name);
  }

  override valueOmittedFromData(_data: FormDataSource, files: FilesSource, name: string): boolean {
    return !files.has(name);
  }
}
