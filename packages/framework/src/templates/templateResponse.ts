import type { HttpRequest } from "../http/request.js";
import { HttpResponse, type HttpResponseBase } from "../http/response.js";
import type { RenderableResponse } from "../middleware/types.js";
import type { RenderOptions } from "./render.js";
import { renderToStringNow } from "./render.js";

type PostRenderCallback = (response: TemplateResponse) => HttpResponseBase | void | Promise<HttpResponseBase | void>;

/**
 * A response rendered late (Django's `TemplateResponse`): middleware `processTemplateResponse`
 * hooks can still change `templateName` or `contextData` after the view returns; the handler
 * then calls `render()`.
 *
 * @example
 * export const article: View = (request, { slug }) => new TemplateResponse(request, "article.html", { slug });
 */
export class TemplateResponse extends HttpResponse implements RenderableResponse {
  templateName: string;
  contextData: Record<string, unknown>;
  readonly request: HttpRequest;
  #rendered = false;
  readonly #postRender: PostRenderCallback[] = [];

  constructor(request: HttpRequest, templateName: string, context: Record<string, unknown> = {}, options: RenderOptions = {}) {
    super("", {
      ...(options.status !== undefined && { status: options.status }),
      ...(options.contentType !== undefined && { contentType: options.contentType }),
      ...(options.headers !== undefined && { headers: options.headers }),
    });
    this.request = request;
    this.templateName = templateName;
    this.contextData = context;
  }

  get isRendered(): boolean {
    return this.#rendered;
  }

  /** Runs after rendering (e.g. to cache the page); a callback may return a replacement response. */
  addPostRenderCallback(callback: PostRenderCallback): void {
    if (this.#rendered) void callback(this);
    else this.#postRender.push(callback);
  }

  /** Renders the template into `content` once; later calls return the same response. */
  async render(): Promise<HttpResponseBase> {
    if (this.#rendered) return this;
    const rendered = renderToStringNow(this.templateName, this.contextData, this.request);
    this.content = typeof rendered === "string" ? rendered : await rendered;
    this.#rendered = true;
    let result: HttpResponseBase = this;
    for (const callback of this.#postRender.splice(0)) {
      const replaced = await callback(this);
      if (replaced) result = replaced;
    }
    return result;
  }
}
