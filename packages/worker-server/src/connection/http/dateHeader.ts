let nextSecondMs = 0;
let cachedLine = "";

/**
 * The `Date: ...\r\n` header line (RFC 9110 §6.6.1: an origin server with a clock must send it),
 * formatted once per second rather than once per response.
 *
 * @example
 * head += dateHeaderLine(); // "Date: Mon, 07 Dec 2026 17:35:04 GMT\r\n"
 */
export function dateHeaderLine(): string {
  const now = Date.now();
  if (now >= nextSecondMs) {
    cachedLine = `Date: ${new Date(now).toUTCString()}\r\n`;
    nextSecondMs = now - (now % 1000) + 1000;
  }
  return cachedLine;
}
