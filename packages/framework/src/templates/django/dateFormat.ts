const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
// Django's "N": Associated Press month abbreviations.
const AP_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."];

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

function ordinal(day: number): string {
  if (day % 100 >= 11 && day % 100 <= 13) return "th";
  return ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[day % 10] ?? "th";
}

function twelveHour(hour: number): number {
  return hour % 12 === 0 ? 12 : hour % 12;
}

/** Django's "P": "1:30 p.m.", "midnight", "noon". */
function properTime(date: Date): string {
  const h = date.getUTCHours();
  const m = date.getUTCMinutes();
  if (m === 0 && h === 0) return "midnight";
  if (m === 0 && h === 12) return "noon";
  return `${twelveHour(h)}${m === 0 ? "" : `:${pad(m)}`} ${h < 12 ? "a.m." : "p.m."}`;
}

function isoWeek(date: Date): number {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

/**
 * Formats a date with Django's format characters (the `date` and `time` filters and
 * `{% now %}`), in UTC. A backslash escapes a character.
 *
 * @example
 * formatDate(new Date("2026-12-07T15:04:00Z"), "D, j M Y H:i"); // "Mon, 7 Dec 2026 15:04"
 */
export function formatDate(date: Date, format: string): string {
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    if (c === "\\") {
      out += format[i + 1] ?? "";
      i++;
      continue;
    }
    const y = date.getUTCFullYear();
    const mo = date.getUTCMonth();
    const d = date.getUTCDate();
    const h = date.getUTCHours();
    const mi = date.getUTCMinutes();
    const s = date.getUTCSeconds();
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    switch (c) {
      case "d": out += pad(d); break;
      case "j": out += String(d); break;
      case "D": out += DAYS[date.getUTCDay()]?.slice(0, 3); break;
      case "l": out += DAYS[date.getUTCDay()]; break;
      case "S": out += ordinal(d); break;
      case "w": out += String(date.getUTCDay()); break;
      case "z": out += String(Math.floor((Date.UTC(y, mo, d) - Date.UTC(y, 0, 1)) / 86_400_000) + 1); break;
      case "W": out += String(isoWeek(date)); break;
      case "m": out += pad(mo + 1); break;
      case "n": out += String(mo + 1); break;
      case "M": out += MONTHS[mo]?.slice(0, 3); break;
      case "b": out += MONTHS[mo]?.slice(0, 3).toLowerCase(); break;
      case "F": out += MONTHS[mo]; break;
      case "N": out += AP_MONTHS[mo]; break;
      case "t": out += String(new Date(Date.UTC(y, mo + 1, 0)).getUTCDate()); break;
      case "L": out += leap ? "True" : "False"; break;
      case "y": out += pad(y % 100); break;
      case "Y": out += String(y); break;
      case "a": out += h < 12 ? "a.m." : "p.m."; break;
      case "A": out += h < 12 ? "AM" : "PM"; break;
      case "g": out += String(twelveHour(h)); break;
      case "G": out += String(h); break;
      case "h": out += pad(twelveHour(h)); break;
      case "H": out += pad(h); break;
      case "i": out += pad(mi); break;
      case "s": out += pad(s); break;
      case "u": out += pad(date.getUTCMilliseconds() * 1000, 6); break;
      case "f": out += `${twelveHour(h)}${mi === 0 ? "" : `:${pad(mi)}`}`; break;
      case "P": out += properTime(date); break;
      case "e": case "T": out += "UTC"; break;
      case "O": out += "+0000"; break;
      case "Z": out += "0"; break;
      case "c": out += date.toISOString().replace(/\.\d{3}Z$/, "+00:00"); break;
      case "r": out += `${DAYS[date.getUTCDay()]?.slice(0, 3)}, ${pad(d)} ${MONTHS[mo]?.slice(0, 3)} ${y} ${pad(h)}:${pad(mi)}:${pad(s)} +0000`; break;
      case "U": out += String(Math.floor(date.getTime() / 1000)); break;
      default: out += c;
    }
  }
  return out;
}

const UNITS: ReadonlyArray<readonly [number, string]> = [
  [365 * 24 * 60 * 60, "year"],
  [30 * 24 * 60 * 60, "month"],
  [7 * 24 * 60 * 60, "week"],
  [24 * 60 * 60, "day"],
  [60 * 60, "hour"],
  [60, "minute"],
];

/**
 * Django's `timesince`: the time between two dates as at most two adjacent units
 * ("2 days, 3 hours"); "0 minutes" when `later` is not after `earlier`.
 *
 * @example
 * timeSince(new Date("2026-01-01"), new Date("2026-01-03T05:00Z")); // "2 days, 5 hours"
 */
export function timeSince(earlier: Date, later: Date = new Date()): string {
  const seconds = Math.floor((later.getTime() - earlier.getTime()) / 1000);
  if (seconds < 60) return "0 minutes";
  const index = UNITS.findIndex(([size]) => seconds >= size);
  const [size, name] = UNITS[index] as readonly [number, string];
  const count = Math.floor(seconds / size);
  let text = `${count} ${name}${count === 1 ? "" : "s"}`;
  const next = UNITS[index + 1];
  if (next !== undefined) {
    const rest = Math.floor((seconds - count * size) / next[0]);
    if (rest > 0) text += `, ${rest} ${next[1]}${rest === 1 ? "" : "s"}`;
  }
  return text;
}
