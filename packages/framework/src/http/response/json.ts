import type { ResponseOptions } from "./base.js";
import { HttpResponse } from "./httpResponse.js";

/** Options for {@link JsonResponse}. */
export interface JsonResponseOptions extends ResponseOptions {
  /** Only plain objects unless false (Django's guard against JSON array hijacking in old browsers). */
  safe?: boolean;
  /** Passed to JSON.stringify. */
  replacer?: (this: unknown, key: string, value: unknown) => unknown;
  space?: number;
}

/**
 * A JSON response (Django's `JsonResponse`).
 *
 * @example
 * return new JsonResponse({ ok: true, items });
 * return new JsonResponse([1, 2, 3], { safe: false });
 */
// What `new JsonResponse(data)` without options passes on (built once, only read).
const JSON_ONLY: ResponseOptions = { contentType: "application/json" };

export class JsonResponse extends HttpResponse {
  constructor(data: unknown, options?: JsonResponseOptions) {
    if (options === undefined) {
      // The usual call: no option objects to take apart and rebuild.
      if (typeof data !== "object" || data === null || Array.isArray(data)) {
        throw new TypeError("In order to allow non-object values to be serialized set the safe option to false.");
      }
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError("JsonResponse: the data cannot be serialized to JSON.");
      super(text, JSON_ONLY);
      return;
    }
    const { safe = true, replacer, space, ...base } = options;
    const isPlainObject = typeof data === "object" && data !== null && !Array.isArray(data);
    if (safe && !isPlainObject) {
      throw new TypeError("In order to allow non-object values to be serialized set the safe option to false.");
    }
    const text = JSON.stringify(data, replacer, space);
    if (text === undefined) throw new TypeError("JsonResponse: the data cannot be serialized to JSON.");
    super(text, { contentType: "application/json", ...base });
  }
}
