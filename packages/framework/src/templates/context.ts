import nunjucks from "nunjucks";
import { getToken } from "../csrf/state.js";
import { escapeHtml } from "../debug/html.js";
import type { HttpRequest } from "../http/request.js";
import { messageStorageOf } from "../messages/api.js";
import { DEFAULT_MESSAGE_LEVELS } from "../messages/constants.js";
import type { TemplateEngine } from "./engine.js";
import type { ContextProcessor } from "./settings.js";

/**
 * The masked CSRF token, computed when the template prints it, not before: a page that never
 * shows it must not set the CSRF cookie (and `Vary: Cookie`), as with Django's lazy token.
 * A class holding the request, not closures: two fewer allocations on every render.
 */
class LazyCsrfToken {
  #value: string | undefined;
  constructor(private readonly request: HttpRequest) {}
  toString(): string {
    return (this.#value ??= getToken(this.request));
  }
}

/**
 * The hidden form field, like {@link LazyCsrfToken} but printed without escaping: a nunjucks
 * SafeString (by its prototype chain) whose text is computed late. A class rather than
 * `Object.create` with property descriptors, which cost more than the rest of the context.
 */
class LazyCsrfInput {
  #value: string | undefined;
  constructor(private readonly request: HttpRequest) {}
  get val(): string {
    return (this.#value ??= `<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(getToken(this.request))}">`);
  }
  get length(): number {
    return this.val.length;
  }
}
Object.setPrototypeOf(LazyCsrfInput.prototype, nunjucks.runtime.SafeString.prototype);

type Context = Record<string, unknown>;

/**
 * The variables every template rendered with a request gets, before the view's own:
 * `request`, `csrf_token` (the masked token), `csrf_input` (the hidden form field),
 * `messages` and `DEFAULT_MESSAGE_LEVELS` with MessageMiddleware, then each
 * context processor's variables.
 *
 * @example
 * const context = { ...(await requestContext(request, engine)), title: "Home" };
 */
export async function requestContext(request: HttpRequest, engine: TemplateEngine): Promise<Context> {
  return requestContextNow(request, engine);
}

/**
 * {@link requestContext} without a promise when nothing is asynchronous (no MessageMiddleware,
 * context processors that return plain objects): the same variables, in the same order.
 *
 * @example
 * const base = requestContextNow(request, engine);
 * const context = { ...(base instanceof Promise ? await base : base), title: "Home" };
 */
export function requestContextNow(request: HttpRequest, engine: TemplateEngine): Context | Promise<Context> {
  const context: Context = {
    request,
    csrf_token: new LazyCsrfToken(request),
    csrf_input: new LazyCsrfInput(request),
    DEFAULT_MESSAGE_LEVELS,
  };
  const storage = messageStorageOf(request);
  // Loaded now because templates iterate synchronously; only iterating marks them shown.
  if (storage !== undefined) {
    return storage.load().then((messages) => {
      context.messages = messages;
      return addProcessorVariables(context, request, engine, 0);
    });
  }
  return addProcessorVariables(context, request, engine, 0);
}

/** Each context processor's variables from `from` on, in order, waiting only for those that return a promise. */
function addProcessorVariables(context: Context, request: HttpRequest, engine: TemplateEngine, from: number): Context | Promise<Context> {
  const processors = engine.options.contextProcessors ?? [];
  for (let index = from; index < processors.length; index++) {
    const variables = (processors[index] as ContextProcessor)(request);
    // Any thenable, as `await` would take it.
    if (isThenable(variables)) {
      return Promise.resolve(variables).then((resolved: Context) => {
        Object.assign(context, resolved);
        return addProcessorVariables(context, request, engine, index + 1);
      });
    }
    Object.assign(context, variables);
  }
  return context;
}

function isThenable(value: unknown): value is PromiseLike<Context> {
  return typeof value === "object" && value !== null && "then" in value && typeof value.then === "function";
}
