import validator from "validator";
import { Field, type FieldOptions } from "./field.js";
import { EmailInput, Textarea, URLInput } from "../widgets/input.js";
import type { Attrs, Widget } from "../widgets/widget.js";

/** Options of {@link CharField}. */
export interface CharFieldOptions<R extends boolean> extends FieldOptions<R> {
  maxLength?: number;
  minLength?: number;
  /** Trim surrounding whitespace first (default true). */
  strip?: boolean;
}

/**
 * Text (Django's `CharField`): trimmed, length-checked; an empty optional field cleans to "".
 *
 * @example
 * new CharField({ maxLength: 100, helpText: "Your full name" })
 */
export class CharField<R extends boolean = true> extends Field<string, string, R> {
  readonly emptyValue = "";
  readonly maxLength: number | undefined;
  readonly minLength: number | undefined;
  readonly strip: boolean;

  constructor(options: CharFieldOptions<R> = {}) {
    super(options);
    this.maxLength = options.maxLength;
    this.minLength = options.minLength;
    this.strip = options.strip ?? true;
  }

  protected override defaultErrorMessages(): Record<string, string> {
    return {
      ...super.defaultErrorMessages(),
      max_length: "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
      min_length: "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
      null_characters_not_allowed: "Null characters are not allowed.",
      invalid: "Enter a valid value.",
    };
  }

  toPython(value: unknown): string {
    if (value === null || value === undefined) return this.emptyValue;
    if (typeof value !== "string" && typeof value !== "number") throw this.error("invalid");
    let text = String(value);
    if (this.strip) text = text.trim();
    if (text.includes("\0")) throw this.error("null_characters_not_allowed");
    return text;
  }

  override validate(value: string): void {
    super.validate(value);
    if (value === "") return;
    // Length in code points, as Python's len().
    const length = [...value].length;
    if (this.maxLength !== undefined && length > this.maxLength) throw this.error("max_length", { limit_value: this.maxLength, show_value: length });
    if (this.minLength !== undefined && length < this.minLength) throw this.error("min_length", { limit_value: this.minLength, show_value: length });
  }

  override widgetAttrs(widget: Widget): Attrs {
    const attrs: Attrs = {};
    if (widget.isHidden) return attrs;
    if (this.maxLength !== undefined) attrs.maxlength = this.maxLength;
    if (this.minLength !== undefined) attrs.minlength = this.minLength;
    return attrs;
  }
}

/** Multi-line text: a CharField with a `<textarea>`. @example new TextField({ maxLength: 2000 }) */
export class TextField<R extends boolean = true> extends CharField<R> {
  protected override defaultWidget(): Widget {
    return new Textarea();
  }
}

/**
 * An email address, checked with the `validator` library's `isEmail` (Django's `EmailField`, max 320 characters).
 *
 * @example
 * new EmailField({ helpText: "We never share it." })
 */
export class EmailField<R extends boolean = true> extends CharField<R> {
  constructor(options: CharFieldOptions<R> = {}) {
    super({ maxLength: 320, ...options });
  }
  protected override defaultWidget(): Widget {
    return new EmailInput();
  }
  protected override defaultErrorMessages(): Record<string, string> {
    return { ...super.defaultErrorMessages(), invalid: "Enter a valid email address." };
  }
  override validate(value: string): void {
    super.validate(value);
    if (value !== "" && !validator.isEmail(value, { allow_utf8_local_part: true, allow_ip_domain: true })) throw this.error("invalid");
  }
}

/**
 * An http(s) or ftp(s) URL (Django's `URLField`): a missing scheme becomes `https://`, as in Django 5.
 *
 * @example
 * new URLField({ required: false }).clean("example.com"); // "https://example.com"
 */
export class URLField<R extends boolean = true> extends CharField<R> {
  constructor(options: CharFieldOptions<R> = {}) {
    super({ maxLength: 2048, ...options });
  }
  protected override defaultWidget(): Widget {
    return new URLInput();
  }
  protected override defaultErrorMessages(): Record<string, string> {
    return { ...super.defaultErrorMessages(), invalid: "Enter a valid URL." };
  }
  override toPython(value: unknown): string {
    const text = super.toPython(value);
    if (text === "" || /^[a-z][a-z0-9+.-]*:/i.test(text)) return text;
    return `https://${text}`;
  }
  override validate(value: string): void {
    super.validate(value);
    if (value === "") return;
    const ok = validator.isURL(value, { protocols: ["http", "https", "ftp", "ftps"], require_protocol: true, require_tld: true, allow_underscores: true });
    const local = /^(https?|ftps?):\/\/(localhost|\[[0-9a-f:]+\])(:\d+)?(\/|$|\?|#)/i.test(value);
    if (!ok && !local) throw this.error("invalid");
  }
}

/**
 * Letters, digits, hyphens and underscores (Django's `SlugField`); `allowUnicode` accepts any letter.
 *
 * @example
 * new SlugField({ maxLength: 50 })
 */
export class SlugField<R extends boolean = true> extends CharField<R> {
  readonly allowUnicode: boolean;
  constructor(options: CharFieldOptions<R> & { allowUnicode?: boolean } = {}) {
    super(options);
    this.allowUnicode = options.allowUnicode ?? false;
  }
  protected override defaultErrorMessages(): Record<string, string> {
    return {
      ...super.defaultErrorMessages(),
      invalid: "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
      invalid_unicode: "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.",
    };
  }
  override validate(value: string): void {
    super.validate(value);
    if (value === "") return;
    if (this.allowUnicode ? !/^[\p{L}\p{N}_-]+$/u.test(value) : !/^[-a-zA-Z0-9_]+$/.test(value)) {
      throw this.error(this.allowUnicode ? "invalid_unicode" : "invalid");
    }
  }
}

/**
 * A UUID in any of its usual spellings, cleaned to the lower-case hyphenated form (Django's `UUIDField`).
 *
 * @example
 * new UUIDField().clean("6F9619FF8B86D011B42D00C04FC964FF"); // "6f9619ff-8b86-d011-b42d-00c04fc964ff"
 */
export class UUIDField<R extends boolean = true> extends Field<string, null, R> {
  readonly emptyValue = null;
  protected override defaultErrorMessages(): Record<string, string> {
    return { ...super.defaultErrorMessages(), invalid: "Enter a valid UUID." };
  }
  toPython(value: unknown): string | null {
    if (value === null || value === undefined) return null;
    const text = String(value).trim();
    if (text === "") return null;
    const hex = text.replace(/^urn:uuid:/i, "").replace(/[{}-]/g, "").toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(hex)) throw this.error("invalid");
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return uuid;
  }
}

/**
 * Text matching a regular expression (Django's `RegexField`).
 *
 * @example
 * new RegexField(/^[A-Z]{3}$/, { errorMessages: { invalid: "Three capitals." } })
 */
export class RegexField<R extends boolean = true> extends CharField<R> {
  constructor(
    readonly regex: RegExp,
    options: CharFieldOptions<R> = {},
  ) {
    super(options);
  }
  override validate(value: string): void {
    super.validate(value);
    this.regex.lastIndex = 0;
    if (value !== "" && !this.regex.test(value)) throw this.error("invalid");
  }
}
