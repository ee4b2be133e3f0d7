import type { HttpServerOptions } from "./options.js";

/** Gunicorn's hard ceilings (`MAX_REQUEST_LINE`, `MAX_HEADERS`) and default field size. */
export const MAX_REQUEST_LINE = 8190;
export const MAX_HEADERS = 32768;
export const DEFAULT_FIELD_SIZE = 8190;
/** Bytes of an unfinished head one connection may hold, whatever the limits would allow (nginx holds 32 KiB by default). */
export const HEAD_BUFFER_CAP = 64 * 1024;

/** The request limits in force, with Gunicorn's meaning of 0 already applied. */
export interface RequestLimits {
  /** Max request-line bytes (CRLF excluded); Infinity when `--limit-request-line 0`. */
  requestLine: number;
  /** Max header fields. */
  fields: number;
  /** Max bytes of one `Name: value` line; Infinity when `--limit-request-field-size 0`. */
  fieldSize: number;
  /** Total bytes of an unfinished head a connection may hold (Gunicorn's `max_buffer_headers`): beyond it, 414 or 431 at once. */
  headBuffer: number;
}

/** Thrown for a limit that is not a non-negative integer. */
export class InvalidLimitError extends Error {
  constructor(option: string, value: unknown) {
    super(`${option} must be a non-negative integer, got ${String(value)}`);
    this.name = "InvalidLimitError";
  }
}

/**
 * Resolves the limits as Gunicorn does: a request line of 0 is unlimited and any value is capped
 * at 8190; 0 fields (or more than 32768) means 32768; a field size of 0 is unlimited.
 *
 * @example
 * resolveLimits({ limitRequestLine: 0 }).requestLine; // Infinity
 */
export function resolveLimits(options: HttpServerOptions): RequestLimits {
  const line = checked("limitRequestLine", options.limitRequestLine ?? 4094);
  const fields = checked("limitRequestFields", options.limitRequestFields ?? 100);
  const fieldSize = checked("limitRequestFieldSize", options.limitRequestFieldSize ?? DEFAULT_FIELD_SIZE);
  const requestLine = line === 0 ? Infinity : Math.min(line, MAX_REQUEST_LINE);
  const fieldCount = fields === 0 || fields > MAX_HEADERS ? MAX_HEADERS : fields;
  const bufferLine = requestLine === Infinity ? 1024 * 1024 : requestLine;
  const bufferField = fieldSize === 0 ? DEFAULT_FIELD_SIZE : fieldSize;
  return {
    requestLine,
    fields: fieldCount,
    fieldSize: fieldSize === 0 ? Infinity : fieldSize,
    // What the limits allow, but at most 64 KiB (or one longest line and one largest field): 300
    // clients sending unfinished heads then hold about 20 MB of a worker, not 300 MB.
    headBuffer: Math.min(bufferLine + 2 + fieldCount * (bufferField + 2) + 4, Math.max(HEAD_BUFFER_CAP, bufferLine + 2 + bufferField + 2 + 4)),
  };
}

function checked(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new InvalidLimitError(option, value);
  return value;
}
