import type { HttpRequest } from "../http/request.js";

/**
 * The request's absolute URL for a debug page, or its full path when the URL
 * cannot be built (a Host outside ALLOWED_HOSTS): the page must still render.
 *
 * @example
 * safeAbsoluteUri(request); // "http://127.0.0.1:8000/boom/?q=1"
 */
export function safeAbsoluteUri(request: HttpRequest): string {
  try {
    return request.buildAbsoluteUri();
  } catch {
    return request.getFullPath();
  }
}
