/**
 * The framework's exception classes, after `django.core.exceptions` and `django.http`.
 *
 * Views and middleware throw these; the handler turns each into the matching
 * response at every middleware layer (see `handler/convertException.ts`):
 * `Http404` -> 404, `PermissionDenied` -> 403, `BadRequest` / `SuspiciousOperation`
 * (and its subclasses) -> 400, `RequestDataTooBig` -> 413, anything else -> 500.
 */

/** Options every framework error accepts. */
export interface FrameworkErrorOptions extends ErrorOptions {
  /**
   * The message is safe to show the client (it describes their request, not the server):
   * the default 400/413 pages then include it. Off unless the class says otherwise.
   */
  expose?: boolean;
}

/** Base class: every framework error carries an actionable message and its class name. */
export class FrameworkError extends Error {
  readonly expose: boolean;

  constructor(message: string, options?: FrameworkErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.expose = options?.expose ?? false;
  }
}

/**
 * True for an error whose message the default error pages may show the client.
 *
 * @example
 * if (isExposed(error)) body += `<p>${escapeHtml(error.message)}</p>`;
 */
export function isExposed(error: unknown): error is FrameworkError {
  return error instanceof FrameworkError && error.expose;
}

/**
 * The requested object does not exist: answered with 404.
 *
 * @example
 * if (!article) throw new Http404(`No article ${id}`);
 */
export class Http404 extends FrameworkError {
  constructor(message = "Not found.", options?: FrameworkErrorOptions) {
    super(message, options);
  }
}

/** No URL pattern matched the path; carries the patterns tried for the DEBUG 404 page. */
export class Resolver404 extends Http404 {
  constructor(
    readonly path: string,
    /** Each entry is the chain of patterns (outermost first) that was tried. */
    readonly tried: ReadonlyArray<readonly string[]>,
  ) {
    super(`No URL pattern matches the path "${path}".`);
  }
}

/**
 * The user may not do this: answered with 403.
 *
 * @example
 * if (!request.user?.isStaff) throw new PermissionDenied();
 */
export class PermissionDenied extends FrameworkError {
  constructor(message = "Permission denied.", options?: FrameworkErrorOptions) {
    super(message, options);
  }
}

/**
 * The request is malformed: answered with 400.
 *
 * @example
 * if (!request.GET.has("q")) throw new BadRequest("Missing ?q");
 */
export class BadRequest extends FrameworkError {
  constructor(message = "Bad request.", options?: FrameworkErrorOptions) {
    super(message, options);
  }
}

/** The request looks like an attack or is otherwise suspicious: answered with 400 and logged. */
export class SuspiciousOperation extends FrameworkError {}

/** The Host header is not in `ALLOWED_HOSTS`: answered with 400. */
export class DisallowedHost extends SuspiciousOperation {}

/** A multipart upload tried to write outside its directory or similar. */
export class SuspiciousFileOperation extends SuspiciousOperation {}

/** A multipart body could not be parsed: answered with 400. */
export class MultiPartParserError extends BadRequest {
  constructor(message: string, options?: FrameworkErrorOptions) {
    super(message, { expose: true, ...options });
  }
}

/** The request body is larger than `DATA_UPLOAD_MAX_MEMORY_SIZE`: answered with 413. */
export class RequestDataTooBig extends SuspiciousOperation {
  constructor(message: string, options?: FrameworkErrorOptions) {
    super(message, { expose: true, ...options });
  }
}

/** More fields than `DATA_UPLOAD_MAX_NUMBER_FIELDS`: answered with 400. */
export class TooManyFieldsSent extends SuspiciousOperation {
  constructor(message: string, options?: FrameworkErrorOptions) {
    super(message, { expose: true, ...options });
  }
}

/** More files than `DATA_UPLOAD_MAX_NUMBER_FILES`: answered with 400. */
export class TooManyFilesSent extends SuspiciousOperation {
  constructor(message: string, options?: FrameworkErrorOptions) {
    super(message, { expose: true, ...options });
  }
}

/** The body was already consumed as a stream (multipart `POST()`), so `body()` cannot return it. */
export class RawPostDataException extends FrameworkError {}

/** The settings or URL configuration are wrong; the message names the setting. */
export class ImproperlyConfigured extends FrameworkError {}

/** `reverse()` found no pattern for the name and arguments. */
export class NoReverseMatch extends FrameworkError {
  constructor(
    message: string,
    /** The URL patterns tried (each a chain, outermost first), listed on the DEBUG page. */
    readonly tried: ReadonlyArray<readonly string[]> = [],
  ) {
    super(message);
  }
}

/** A middleware factory throws this to take itself out of the chain at load time. */
export class MiddlewareNotUsed extends FrameworkError {}

/** A header value contains a newline (header injection). */
export class BadHeaderError extends FrameworkError {}

/**
 * A service the request needs (the cache server, the database) cannot be reached right now:
 * answered with 503 and `Retry-After`, so load balancers and clients retry later instead of
 * seeing a 500. The backends raise it within their timeout, never hanging the request.
 *
 * @example
 * throw new ServiceUnavailable("Redis at redis://cache:6379 is unreachable.", { retryAfter: 5 });
 */
export class ServiceUnavailable extends FrameworkError {
  /** Seconds the client should wait before retrying (the `Retry-After` header). */
  readonly retryAfter: number;

  constructor(message = "Service temporarily unavailable.", options?: FrameworkErrorOptions & { retryAfter?: number }) {
    super(message, options);
    this.retryAfter = options?.retryAfter ?? 5;
  }
}
