/**
 * Limits on a request head, with Gunicorn's meaning (`--limit-request-line`, `--limit-request-fields`,
 * `--limit-request-field-size`); `Infinity` is unlimited.
 */
export interface HeadLimits {
  /** Max bytes of the request line, CRLF excluded (Gunicorn's `limit_request_line`). Over it: 414. */
  requestLine: number;
  /** Max number of header fields. Over it: 431. */
  fields: number;
  /** Max bytes of one header line as Gunicorn 26 counts it: `name + ": " + value + CRLF`. Over it: 431. */
  fieldSize: number;
}

/** Gunicorn's hard ceilings (`MAX_REQUEST_LINE`, `MAX_HEADERS`) and default field size. */
export const MAX_REQUEST_LINE = 8190;
export const MAX_HEADERS = 32768;
export const DEFAULT_FIELD_SIZE = 8190;

/** Gunicorn's defaults: 4094-byte request line, 100 fields, 8190-byte fields. */
export const GUNICORN_HEAD_LIMITS: Readonly<HeadLimits> = Object.freeze({ requestLine: 4094, fields: 100, fieldSize: DEFAULT_FIELD_SIZE });

/** No limits: what `checkRequestHead` applies when given none. */
export const NO_HEAD_LIMITS: Readonly<HeadLimits> = Object.freeze({ requestLine: Infinity, fields: Infinity, fieldSize: Infinity });

/** The limits as command-line options give them (Gunicorn's names and meaning of 0). */
export interface HeadLimitOptions {
  limitRequestLine?: number;
  limitRequestFields?: number;
  limitRequestFieldSize?: number;
}

/** Thrown for a limit that is not a non-negative integer. */
export class InvalidHeadLimitError extends Error {
  constructor(option: string, value: unknown) {
    super(`${option} must be a non-negative integer (0 for Gunicorn's "unlimited"), got ${String(value)}`);
    this.name = "InvalidHeadLimitError";
  }
}

/**
 * Resolves limits as Gunicorn 26's code does: a request line of 0 is unlimited and any value is capped at 8190;
 * 0 fields (or more than 32768) means 32768; a field size of 0 means the default 8190 (Gunicorn's docs say
 * "unlimited", its `Message.__init__` resets 0 to `DEFAULT_MAX_HEADERFIELD_SIZE`). Unset options take Gunicorn's defaults.
 *
 * @example
 * resolveHeadLimits({ limitRequestLine: 0 }); // { requestLine: Infinity, fields: 100, fieldSize: 8190 }
 */
export function resolveHeadLimits(options: HeadLimitOptions = {}): HeadLimits {
  const line = checked("limitRequestLine", options.limitRequestLine ?? GUNICORN_HEAD_LIMITS.requestLine);
  const fields = checked("limitRequestFields", options.limitRequestFields ?? GUNICORN_HEAD_LIMITS.fields);
  const fieldSize = checked("limitRequestFieldSize", options.limitRequestFieldSize ?? GUNICORN_HEAD_LIMITS.fieldSize);
  return {
    requestLine: line === 0 ? Infinity : Math.min(line, MAX_REQUEST_LINE),
    fields: fields === 0 || fields > MAX_HEADERS ? MAX_HEADERS : fields,
    fieldSize: fieldSize === 0 ? DEFAULT_FIELD_SIZE : fieldSize,
  };
}

function checked(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new InvalidHeadLimitError(option, value);
  return value;
}
