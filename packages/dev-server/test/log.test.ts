import picocolors from "picocolors";
import { describe, expect, it } from "vitest";
import { formatAccessLine, formatBytes } from "../src/log/accessLog.js";
import { formatBanner } from "../src/log/banner.js";
import { colorsFor } from "../src/log/colors.js";

const plain = picocolors.createColors(false);
const colored = picocolors.createColors(true);
const entry = { time: new Date(2026, 0, 2, 14, 5, 9), method: "POST", path: "/form?x=1", status: 201, bytes: 2048, milliseconds: 12.345 };

describe("access log", () => {
  it("prints time, method, path, status, bytes and milliseconds", () => {
    expect(formatAccessLine(entry, plain)).toBe("[14:05:09] POST /form?x=1 201 2.0 KiB 12.3 ms");
    expect(formatAccessLine({ ...entry, status: undefined }, plain)).toContain(" --- ");
  });

  it("colors the status by class when colors are on", () => {
    expect(formatAccessLine({ ...entry, status: 500 }, colored)).toContain(colored.red("500"));
    expect(formatAccessLine({ ...entry, status: 404 }, colored)).toContain(colored.yellow("404"));
    expect(formatAccessLine({ ...entry, status: 200 }, colored)).toContain(colored.green("200"));
  });

  it("formats sizes", () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(5 * 1024 * 1024)]).toEqual(["0 B", "1023 B", "1.5 KiB", "5.0 MiB"]);
  });
});

describe("colors", () => {
  it("are on for a TTY, off otherwise, off with NO_COLOR, forced with FORCE_COLOR", () => {
    expect(colorsFor({ isTTY: true }, {}).red("x")).not.toBe("x");
    expect(colorsFor({ isTTY: false }, {}).red("x")).toBe("x");
    expect(colorsFor({ isTTY: true }, { NO_COLOR: "1" }).red("x")).toBe("x");
    expect(colorsFor({ isTTY: false }, { FORCE_COLOR: "1" }).red("x")).not.toBe("x");
  });
});

describe("banner", () => {
  it("shows the URL on a stable line", () => {
    const banner = formatBanner({ url: "http://127.0.0.1:8000/", target: "app.ts:app", reload: true, validate: false, staticMounts: [] }, plain);
    expect(banner).toContain("  Listening on http://127.0.0.1:8000/");
    expect(banner).toContain("autoreload on, validator off");
  });
});
