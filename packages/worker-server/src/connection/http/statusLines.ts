/** Status lines already encoded, by the status string apps pass (`"200 OK"`); bounded, as apps may invent reasons. */
const STATUS_LINES = new Map<string, string>();
const LIMIT = 256;

/**
 * The `HTTP/1.1 <status>\r\n` line for a status string, built once per distinct status.
 * (HTTP/1.0 clients get HTTP/1.1 status lines too: RFC 9110 §6.2, a server sends its own version.)
 *
 * @example
 * statusLine("404 Not Found"); // "HTTP/1.1 404 Not Found\r\n"
 */
export function statusLine(status: string): string {
  let line = STATUS_LINES.get(status);
  if (line === undefined) {
    line = `HTTP/1.1 ${status}\r\n`;
    if (STATUS_LINES.size < LIMIT) STATUS_LINES.set(status, line);
  }
  return line;
}

/** The numeric code of a status string already checked by `runApplication` (`"204 No Content"` -> 204). */
export function statusCode(status: string): number {
  return (status.charCodeAt(0) - 48) * 100 + (status.charCodeAt(1) - 48) * 10 + (status.charCodeAt(2) - 48);
}
