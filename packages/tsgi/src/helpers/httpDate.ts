const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const TIME = String.raw`(\d{2}):(\d{2}):(\d{2})`;
// RFC 9110 §5.6.7: IMF-fixdate, then the two obsolete forms a recipient must also accept.
const IMF_FIXDATE = new RegExp(String.raw`^(?:mon|tue|wed|thu|fri|sat|sun), (\d{2}) ([a-z]{3}) (\d{4}) ${TIME} gmt$`, "i");
const RFC_850 = new RegExp(String.raw`^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday), (\d{2})-([a-z]{3})-(\d{2}) ${TIME} gmt$`, "i");
const ASCTIME = new RegExp(String.raw`^(?:mon|tue|wed|thu|fri|sat|sun) ([a-z]{3}) ([ \d]\d) ${TIME} (\d{4})$`, "i");

/**
 * An HTTP date (IMF-fixdate, RFC 850 or asctime, RFC 9110 §5.6.7) as whole
 * seconds since the epoch, or undefined for anything else (as Django's
 * `parse_http_date_safe`): conditional requests with a malformed date are
 * treated as having none. A two-digit RFC 850 year more than 50 years in the
 * future is taken as the previous century.
 *
 * @example
 * parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"); // 784111777
 * parseHttpDate("2024-01-01"); // undefined
 */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let parts: [day: string, month: string, year: string, hour: string, minute: string, second: string] | undefined;
  let match = IMF_FIXDATE.exec(text);
  if (match) parts = [match[1], match[2], match[3], match[4], match[5], match[6]] as typeof parts;
  else if ((match = RFC_850.exec(text))) parts = [match[1], match[2], String(fullYear(Number(match[3]))), match[4], match[5], match[6]] as typeof parts;
  else if ((match = ASCTIME.exec(text))) parts = [match[2], match[1], match[6], match[3], match[4], match[5]] as typeof parts;
  if (!parts) return undefined;
  const [day, monthName, year, hour, minute, second] = parts.map((part) => part.trim()) as typeof parts;
  const month = MONTHS.indexOf(monthName.toLowerCase());
  const numbers = [Number(day), Number(year), Number(hour), Number(minute), Number(second)] as const;
  const [d, y, h, m, s] = numbers;
  if (month === -1 || d < 1 || d > 31 || h > 23 || m > 59 || s > 60) return undefined;
  const time = Date.UTC(y, month, d, h, m, Math.min(s, 59));
  // Date.UTC rolls 31 Feb over into March: such a date does not exist.
  if (new Date(time).getUTCDate() !== d) return undefined;
  return Math.floor(time / 1000);
}

/**
 * A time as an IMF-fixdate, the form an HTTP date is sent in.
 *
 * @example
 * formatHttpDate(784111777); // "Sun, 06 Nov 1994 08:49:37 GMT"
 */
export function formatHttpDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toUTCString();
}

function fullYear(twoDigits: number): number {
  const now = new Date().getUTCFullYear();
  const year = 2000 + twoDigits;
  return year > now + 50 ? year - 100 : year;
}
