import { escapeHtml } from "../debug/html.js";
import { SafeHtml } from "./safeHtml.js";
import type { ErrorDetail } from "./validationError.js";

/**
 * The errors of one field, or the form's non-field errors (Django's `ErrorList`): an array
 * of messages that prints as `<ul class="errorlist">` in a template (empty when there are none).
 *
 * @example
 * form.errors.email?.asText(); // "* Enter a valid email address."
 */
export class ErrorList extends SafeHtml implements Iterable<string> {
  readonly details: ErrorDetail[] = [];

  constructor(
    details: Iterable<ErrorDetail> = [],
    /** Extra CSS class: "nonfield" for the form's own errors, as in Django. */
    readonly errorClass = "",
  ) {
    super();
    this.details.push(...details);
  }

  get size(): number {
    return this.details.length;
  }

  /** The messages, in order. */
  get messages(): string[] {
    return this.details.map((detail) => detail.message);
  }

  [Symbol.iterator](): Iterator<string> {
    return this.messages[Symbol.iterator]();
  }

  /** True when a message has this code (or any message, without one). */
  hasCode(code?: string): boolean {
    return code === undefined ? this.details.length > 0 : this.details.some((detail) => detail.code === code);
  }

  /** `[{ message, code }]`, Django's `get_json_data()`. */
  asData(): ErrorDetail[] {
    return this.details.map((detail) => ({ ...detail }));
  }

  toJSON(): ErrorDetail[] {
    return this.asData();
  }

  /** `* first\n* second`. */
  asText(): string {
    return this.messages.map((message) => `* ${message}`).join("\n");
  }

  /** `<ul class="errorlist">`, each message escaped. */
  asUl(): string {
    if (this.details.length === 0) return "";
    const classes = this.errorClass ? `errorlist ${this.errorClass}` : "errorlist";
    return `<ul class="${classes}">${this.messages.map((message) => `<li>${escapeHtml(message)}</li>`).join("")}</ul>`;
  }

  toHtml(): string {
    return this.asUl();
  }
}

/**
 * `form.errors` (Django's `ErrorDict`): field name (or `__all__`) to {@link ErrorList}.
 *
 * @example
 * form.errors.toJSON(); // { email: [{ message: "Enter a valid email address.", code: "invalid" }] }
 */
export class ErrorDict extends SafeHtml {
  readonly #lists = new Map<string, ErrorList>();

  get(field: string): ErrorList | undefined {
    return this.#lists.get(field);
  }

  has(field: string): boolean {
    return this.#lists.has(field);
  }

  /** The list for `field`, created empty. */
  listFor(field: string, errorClass = ""): ErrorList {
    let list = this.#lists.get(field);
    if (list === undefined) {
      list = new ErrorList([], errorClass);
      this.#lists.set(field, list);
    }
    return list;
  }

  delete(field: string): void {
    this.#lists.delete(field);
  }

  keys(): string[] {
    return [...this.#lists.keys()];
  }

  get size(): number {
    return this.#lists.size;
  }

  toJSON(): Record<string, ErrorDetail[]> {
    return Object.fromEntries([...this.#lists].map(([field, list]) => [field, list.asData()]));
  }

  /** `* field\n  * message` lines. */
  asText(): string {
    return [...this.#lists].map(([field, list]) => `* ${field}\n${list.messages.map((m) => `  * ${m}`).join("\n")}`).join("\n");
  }

  toHtml(): string {
    if (this.#lists.size === 0) return "";
    const items = [...this.#lists].map(([field, list]) => `<li>${escapeHtml(field)}${list.asUl()}</li>`).join("");
    return `<ul class="errorlist">${items}</ul>`;
  }
}
