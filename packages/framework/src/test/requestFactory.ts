import { buildTestEnviron } from "tsgi";
import { HttpRequest } from "../http/request.js";
import type { Settings } from "../settings/types.js";
import { encodeBody, encodeUrlencoded, MULTIPART_CONTENT, type ClientData } from "./encode.js";

/**
 * Builds requests to pass straight to a view, with no middleware (Django's `RequestFactory`):
 * there is no `request.session` or `request.user` unless the test sets them up.
 *
 * @example
 * const factory = new RequestFactory(settings);
 * const response = await myView(factory.get("/items/", { query: { page: "2" } }), {});
 */
export class RequestFactory {
  constructor(
    readonly settings: Settings,
    readonly defaults: { host?: string; headers?: Readonly<Record<string, string>> } = {},
  ) {}

  #build(method: string, path: string, data: unknown, options: { contentType?: string; headers?: Readonly<Record<string, string>>; query?: ClientData; secure?: boolean }): HttpRequest {
    let target = path;
    const query = method === "GET" || method === "HEAD" ? { ...(data as ClientData | undefined), ...options.query } : options.query;
    if (query !== undefined && Object.keys(query).length > 0) target += (target.includes("?") ? "&" : "?") + encodeUrlencoded(query);
    const host = this.defaults.host ?? this.settings.ALLOWED_HOSTS.find((h) => h !== "*" && !h.startsWith(".")) ?? "testserver";
    const headers: Record<string, string> = { host, ...this.defaults.headers, ...options.headers };
    let body: string | Uint8Array | undefined;
    if (method !== "GET" && method !== "HEAD" && data !== undefined) {
      const encoded = encodeBody(data, options.contentType ?? "application/x-www-form-urlencoded");
      body = encoded.body;
      headers["content-type"] = encoded.contentType;
    }
    // An absolute-form target carries the scheme and server name, so the assembler derives them.
    const environ = buildTestEnviron({
      method,
      path: `${options.secure ? "https" : "http"}://${host}${target}`,
      headers,
      ...(body !== undefined && { body }),
    });
    return new HttpRequest(environ, this.settings);
  }

  get(path: string, options: { query?: ClientData; headers?: Readonly<Record<string, string>>; secure?: boolean } = {}): HttpRequest {
    return this.#build("GET", path, undefined, options);
  }

  head(path: string, options: { query?: ClientData; headers?: Readonly<Record<string, string>> } = {}): HttpRequest {
    return this.#build("HEAD", path, undefined, options);
  }

  /** POST, multipart by default. @example factory.post("/vote/", { choice: "1" }) */
  post(path: string, data?: unknown, options: { contentType?: string; headers?: Readonly<Record<string, string>>; secure?: boolean } = {}): HttpRequest {
    return this.#build("POST", path, data, { contentType: MULTIPART_CONTENT, ...options });
  }

  put(path: string, data?: unknown, options: { contentType?: string; headers?: Readonly<Record<string, string>> } = {}): HttpRequest {
    return this.#build("PUT", path, data, options);
  }

  patch(path: string, data?: unknown, options: { contentType?: string; headers?: Readonly<Record<string, string>> } = {}): HttpRequest {
    return this.#build("PATCH", path, data, options);
  }

  delete(path: string, data?: unknown, options: { contentType?: string; headers?: Readonly<Record<string, string>> } = {}): HttpRequest {
    return this.#build("DELETE", path, data, options);
  }
}
