import nunjucks from "nunjucks";

/**
 * HTML that templates print as is (Django's `SafeString`): an instance of nunjucks'
 * SafeString by its prototype chain, so `{{ form }}`, `{{ field }}` and `{{ form.errors }}`
 * are not escaped twice while everything they contain was escaped when it was rendered.
 * Subclasses compute their HTML in {@link SafeHtml.toHtml}, on each print.
 *
 * @example
 * class Badge extends SafeHtml { toHtml() { return "<b>new</b>"; } }
 * String(new Badge()); // "<b>new</b>"
 */
export abstract class SafeHtml {
  /** The HTML, computed each time it is printed. */
  abstract toHtml(): string;

  /** Read by nunjucks' SafeString methods. */
  get val(): string {
    return this.toHtml();
  }

  get length(): number {
    return this.toHtml().length;
  }

  toString(): string {
    return this.toHtml();
  }

  valueOf(): string {
    return this.toHtml();
  }
}
Object.setPrototypeOf(SafeHtml.prototype, nunjucks.runtime.SafeString.prototype);

/** A fixed piece of HTML marked safe. */
class StaticHtml extends SafeHtml {
  constructor(readonly html: string) {
    super();
  }
  toHtml(): string {
    return this.html;
  }
}

/**
 * Marks already-escaped HTML as safe for templates (Django's `mark_safe`). Never pass user input.
 *
 * @example
 * markSafe("<br>"); // printed as <br> by {{ value }}
 */
export function markSafe(html: string): SafeHtml {
  return new StaticHtml(html);
}

/**
 * Whether `value` is HTML a template prints unescaped.
 *
 * @example
 * isSafeHtml(markSafe("<b>")); // true
 */
export function isSafeHtml(value: unknown): boolean {
  return value instanceof nunjucks.runtime.SafeString;
}
