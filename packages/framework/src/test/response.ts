import type { TestResponse } from "tsgi";

/** A template the response rendered, with the context it got. */
export interface RenderedTemplate {
  name: string;
  context: Readonly<Record<string, unknown>>;
}

/** A redirect the client followed: the URL it went to and the status that sent it there. */
export type RedirectHop = readonly [url: string, status: number];

/**
 * What the test client returns (Django's test `Response`): tsgi's `TestResponse` (status,
 * headers, body, `text()`, `json()`) plus what the framework knows: the templates rendered
 * and their merged `context`, the redirects followed, and the request that was sent.
 *
 * @example
 * const response = await client.get("/polls/");
 * response.statusCode; response.templates; response.context.latest;
 */
export interface ClientResponse extends TestResponse {
  /** Same as `status` (Django's name). */
  readonly statusCode: number;
  /** Names of the templates rendered, in order. */
  readonly templates: readonly string[];
  /** Each rendered template with its context. */
  readonly rendered: readonly RenderedTemplate[];
  /**
   * The variables of every template rendered, the first template's winning (Django's
   * `ContextList` lookup); empty when the response came from no template.
   */
  readonly context: Readonly<Record<string, unknown>>;
  /** `[[url, status], ...]` for each redirect followed. */
  readonly redirectChain: readonly RedirectHop[];
  /** The method and full path of the (last) request. */
  readonly request: { method: string; path: string };
  /** The `Location` header, when there is one. */
  readonly url: string | undefined;
}

/** Builds a {@link ClientResponse} around tsgi's test response. */
export function clientResponse(
  raw: TestResponse,
  rendered: RenderedTemplate[],
  request: { method: string; path: string },
  redirectChain: RedirectHop[],
): ClientResponse {
  const context: Record<string, unknown> = {};
  for (const template of [...rendered].reverse()) Object.assign(context, template.context);
  return Object.assign(raw, {
    statusCode: raw.status,
    templates: rendered.map((template) => template.name),
    rendered,
    context,
    redirectChain,
    request,
    url: raw.headers.get("location") ?? undefined,
  });
}
