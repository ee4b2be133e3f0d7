import nunjucks from "nunjucks";
import { getToken } from "../csrf/state.js";
import { escapeHtml } from "../debug/html.js";
import type { HttpRequest } from "../http/request.js";
import { messageStorageOf } from "../messages/api.js";
import { DEFAULT_MESSAGE_LEVELS } from "../messages/constants.js";
import type { TemplateEngine } from "./engine.js";

/**
 * A value computed when the template prints it, not before: a page that never shows the
 * CSRF token must not set the CSRF cookie (and `Vary: Cookie`), as with Django's lazy token.
 */
function lazyText(compute: () => string): { toString(): string } {
  let value: string | undefined;
  return { toString: () => (value ??= compute()) };
}

/**
 * Like {@link lazyText}, but printed without escaping: a nunjucks SafeString (by its prototype
 * chain) whose text is computed late. A class rather than `Object.create` with property
 * descriptors, which cost more than the rest of the context on every render.
 */
class LazySafeHtml {
  #value: string | undefined;
  constructor(private readonly compute: () => string) {}
  get val(): string {
    return (this.#value ??= this.compute());
  }
  get length(): number {
    return this.val.length;
  }
}
Object.setPrototypeOf(LazySafeHtml.prototype, nunjucks.runtime.SafeString.prototype);

function lazySafeHtml(compute: () => string): object {
  return new LazySafeHtml(compute);
}

/**
 * The variables every template rendered with a request gets, before the view's own:
 * `request`, `csrf_token` (the masked token), `csrf_input` (the hidden form field),
 * `messages` and `DEFAULT_MESSAGE_LEVELS` with MessageMiddleware, then each
 * context processor's variables.
 *
 * @example
 * const context = { ...(await requestContext(request, engine)), title: "Home" };
 */
export async function requestContext(request: HttpRequest, engine: TemplateEngine): Promise<Record<string, unknown>> {
  const context: Record<string, unknown> = {
    request,
    csrf_token: lazyText(() => getToken(request)),
    csrf_input: lazySafeHtml(() => `<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(getToken(request))}">`),
    DEFAULT_MESSAGE_LEVELS,
  };
  const storage = messageStorageOf(request);
  // Loaded now because templates iterate synchronously; only iterating marks them shown.
  if (storage !== undefined) context.messages = await storage.load();
  for (const processor of engine.options.contextProcessors ?? []) Object.assign(context, await processor(request));
  return context;
}
