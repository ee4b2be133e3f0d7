import { describe, expect, it } from "vitest";
import { formatHttpDate, parseHttpDate } from "../../src/helpers/index.js";

// RFC 9110 §5.6.7's example instant in its three forms.
const INSTANT = Date.UTC(1994, 10, 6, 8, 49, 37) / 1000;

describe("parseHttpDate", () => {
  it.each(["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "  sun, 06 nov 1994 08:49:37 gmt "])(
    "reads %j",
    (text) => {
      expect(parseHttpDate(text)).toBe(INSTANT);
    },
  );

  it.each([undefined, "", "2024-01-01", "1", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:00:00 GMT", "yesterday"])(
    "refuses %j",
    (text) => {
      expect(parseHttpDate(text)).toBeUndefined();
    },
  );

  it("reads a two-digit year more than 50 years ahead as the last century", () => {
    const farAhead = (new Date().getUTCFullYear() + 60) % 100;
    const text = `Monday, 01-Jan-${String(farAhead).padStart(2, "0")} 00:00:00 GMT`;
    expect(new Date((parseHttpDate(text) ?? 0) * 1000).getUTCFullYear()).toBe(new Date().getUTCFullYear() + 60 - 100);
  });

  it("formats what it reads", () => {
    expect(formatHttpDate(INSTANT)).toBe("Sun, 06 Nov 1994 08:49:37 GMT");
    expect(parseHttpDate(formatHttpDate(1_700_000_000))).toBe(1_700_000_000);
  });
});
