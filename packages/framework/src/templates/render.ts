import type { HttpRequest } from "../http/request.js";
import { HttpResponse } from "../http/response.js";
import { currentContext } from "../handler/requestContext.js";
import { ImproperlyConfigured } from "../exceptions.js";
import type { Settings } from "../settings/types.js";
import { requestContext } from "./context.js";
import { getTemplateEngine, renderTemplate } from "./engine.js";
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
  const settings = request?.settings ?? currentSettings();
  const engine = getTemplateEngine(settings);
  const base = request === undefined ? {} : await requestContext(request, engine);
  const full = { ...base, ...context };
  const html = await renderTemplate(engine, templateName, full);
  if (templateRendered.hasListeners()) await templateRendered.send(undefined, { templateName, context: full });
  return html;
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
  const html = await renderToString(templateName, context, request);
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
