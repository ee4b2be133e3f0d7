import type { HttpRequest } from "../http/request.js";
import { HttpResponse } from "../http/response.js";
import { currentContext } from "../handler/requestContext.js";
import { ImproperlyConfigured } from "../exceptions.js";
import type { Settings } from "../settings/types.js";
import { requestContextNow } from "./context.js";
import { getTemplateEngine, renderTemplateNow, type TemplateEngine } from "./engine.js";
import { Signal } from "../signals/signal.js";

/**
 * Sent after a template is rendered with its name and context (Django's `template_rendered`,
 * which the test client uses for `response.templates` and `response.context`). Sent only
 * when a receiver is connected, so it costs nothing in production.
 */
export const templateRendered = new Signal<{ templateName: string; context: Readonly<Record<string, unknown>> }>("templateRendered");

/** Options for {@link render}. */
export interface RenderOptions {
  status?: number;
  /** Default `text/html; charset=utf-8`. */
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * Renders a template to a string. With a request, the template also gets `request`,
 * the CSRF token, messages and the context processors' variables (Django's `render_to_string`).
 *
 * @example
 * const text = await renderToString("emails/welcome.txt", { user }, request);
 */
export async function renderToString(templateName: string, context: Record<string, unknown> = {}, request?: HttpRequest): Promise<string> {
  return renderToStringNow(templateName, context, request);
}

/**
 * {@link renderToString} without a promise when there is nothing to wait for (no message
 * storage to load, no async context processor, filter or tag, no `templateRendered` receiver):
 * a page pays for the promises it needs, not one per layer. Errors are thrown or rejected
 * alike; the callers are async functions, so both reach their caller as a rejection.
 *
 * @example
 * const html = renderToStringNow("page.html", { title }, request);
 * const text = typeof html === "string" ? html : await html;
 */
export function renderToStringNow(templateName: string, context: Record<string, unknown>, request?: HttpRequest): string | Promise<string> {
  const settings = request?.settings ?? currentSettings();
  const engine = getTemplateEngine(settings);
  if (request === undefined) return renderFull(engine, templateName, { ...context });
  const base = requestContextNow(request, engine);
  if (base instanceof Promise) return base.then((loaded) => renderFull(engine, templateName, { ...loaded, ...context }));
  return renderFull(engine, templateName, { ...base, ...context });
}

function renderFull(engine: TemplateEngine, templateName: string, full: Record<string, unknown>): string | Promise<string> {
  const html = renderTemplateNow(engine, templateName, full);
  if (!templateRendered.hasListeners()) return html;
  // The test client listens: it gets the template's name and context once the text is there.
  return Promise.resolve(html).then(async (text) => {
    await templateRendered.send(undefined, { templateName, context: full });
    return text;
  });
}

/**
 * Renders a template into an HttpResponse (Django's `render` shortcut). Variables are
 * HTML-escaped unless marked safe; the template gets `request`, `csrf_token`, `csrf_input`
 * and `messages` too.
 *
 * @example
 * export const home: View = (request) => render(request, "home.html", { articles });
 */
export async function render(
  request: HttpRequest,
  templateName: string,
  context: Record<string, unknown> = {},
  options: RenderOptions = {},
): Promise<HttpResponse> {
  const rendered = renderToStringNow(templateName, context, request);
  const html = typeof rendered === "string" ? rendered : await rendered;
  return new HttpResponse(html, {
    ...(options.status !== undefined && { status: options.status }),
    ...(options.contentType !== undefined && { contentType: options.contentType }),
    ...(options.headers !== undefined && { headers: options.headers }),
  });
}

function currentSettings(): Settings {
  const settings = currentContext()?.settings;
  if (settings === undefined) {
    throw new ImproperlyConfigured("renderToString() without a request needs a running application: call getTsgiApplication(settings) first or pass the request.");
  }
  return settings;
}
