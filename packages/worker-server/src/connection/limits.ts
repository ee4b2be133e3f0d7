import { DEFAULT_FIELD_SIZE, InvalidHeadLimitError, MAX_HEADERS, MAX_REQUEST_LINE, resolveHeadLimits } from "tsgi";
import type { HttpServerOptions } from "./options.js";

/** Gunicorn's hard ceilings and default field size: tsgi's (one definition), re-exported for the worker's callers. */
export { DEFAULT_FIELD_SIZE, MAX_HEADERS, MAX_REQUEST_LINE };
/** Bytes of an unfinished head one connection may hold, whatever the limits would allow (nginx holds 32 KiB by default). */
export const HEAD_BUFFER_CAP = 64 * 1024;

/** The request limits in force, with Gunicorn 26's meaning of 0 and its clamping already applied. */
export interface RequestLimits {
  /** Max request-line bytes (CRLF excluded); Infinity when `--limit-request-line 0`. */
  requestLine: number;
  /** Max header fields. */
  fields: number;
  /** Max bytes of one `Name: value` line, CRLF included (`--limit-request-field-size 0` means 8190, as in Gunicorn 26). */
  fieldSize: number;
  /** Total bytes of an unfinished head a connection may hold (Gunicorn's `max_buffer_headers`): beyond it, 414 or 431 at once. */
  headBuffer: number;
}

/**
 * Thrown for a limit that is not a non-negative integer: tsgi's `InvalidHeadLimitError`, under the
 * name this package exported first.
 * @deprecated use `InvalidHeadLimitError` from `tsgi`.
 */
export const InvalidLimitError = InvalidHeadLimitError;

/**
 * Resolves the limits as Gunicorn 26 does, through tsgi's one `resolveHeadLimits`: a request line of 0
 * is unlimited and any value is capped at 8190; 0 fields (or more than 32768) means 32768; a field
 * size of 0 means the default 8190. Adds the cap on an unfinished head's bytes.
 *
 * @example
 * resolveLimits({ limitRequestLine: 0 }).requestLine; // Infinity
 * resolveLimits({ limitRequestFieldSize: 0 }).fieldSize; // 8190
 */
export function resolveLimits(options: HttpServerOptions): RequestLimits {
  const { requestLine, fields, fieldSize } = resolveHeadLimits(options);
  const bufferLine = requestLine === Infinity ? 1024 * 1024 : requestLine;
  return {
    requestLine,
    fields,
    fieldSize,
    // What the limits allow, but at most 64 KiB (or one longest line and one largest field): 300
    // clients sending unfinished heads then hold about 20 MB of a worker, not 300 MB.
    headBuffer: Math.min(bufferLine + 2 + fields * (fieldSize + 2) + 4, Math.max(HEAD_BUFFER_CAP, bufferLine + 2 + fieldSize + 2 + 4)),
  };
}

/**
 * What `resolveLimits` changed from the values given, one warning each for the error log: Gunicorn
 * clamps these silently, and a limit that is not the one written should not go unnoticed.
 *
 * @example
 * limitWarnings({ limitRequestLine: 9000 }); // ["--limit-request-line 9000 is above Gunicorn's ceiling: 8190 is used"]
 */
export function limitWarnings(options: HttpServerOptions): string[] {
  const warnings: string[] = [];
  const { limitRequestLine: line, limitRequestFields: fields, limitRequestFieldSize: fieldSize } = options;
  if (line !== undefined && line > MAX_REQUEST_LINE) warnings.push(`--limit-request-line ${line} is above Gunicorn's ceiling: ${MAX_REQUEST_LINE} is used`);
  if (fields !== undefined && fields > MAX_HEADERS) warnings.push(`--limit-request-fields ${fields} is above Gunicorn's ceiling: ${MAX_HEADERS} is used`);
  if (fields === 0) warnings.push(`--limit-request-fields 0 means Gunicorn's ceiling: ${MAX_HEADERS} fields`);
  if (fieldSize === 0) warnings.push(`--limit-request-field-size 0 means the default ${DEFAULT_FIELD_SIZE} (as in Gunicorn 26), not unlimited`);
  return warnings;
}
