import { InvalidCloseCodeError } from "./errors.js";

/** 1001 (going away): the server is shutting down (SPEC.md, "Graceful stop"). */
export const CLOSE_GOING_AWAY = 1001;
/** 1011: the app failed. */
export const CLOSE_INTERNAL_ERROR = 1011;
/** 1012 (service restart): the development server reloaded; a client should reconnect. */
export const CLOSE_SERVICE_RESTART = 1012;

/**
 * Throws {@link InvalidCloseCodeError} unless `code` may be sent in a close frame (RFC 6455 §7.4.1,
 * the IANA registry: 1004-1006 and 1015 are never sent) and `reason` fits in 123 UTF-8 bytes.
 *
 * @example
 * checkCloseFrame(4000, "room closed"); // fine
 * checkCloseFrame(1006, "");            // throws
 */
export function checkCloseFrame(code: number, reason: string): void {
  const sendable = Number.isInteger(code) && ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999));
  if (!sendable) throw new InvalidCloseCodeError(`close code ${code} cannot be sent; use 1000 (normal), 1001-1003, 1007-1014, or an app code 3000-4999`);
  if (Buffer.byteLength(reason) > 123) throw new InvalidCloseCodeError(`a close reason is at most 123 bytes of UTF-8 (RFC 6455 §5.5); got ${Buffer.byteLength(reason)}`);
}
