import { describe, expect, it } from "vitest";
import { MASK } from "tsgi/debug";
import { defineSettings, technical500Response } from "../src/index.js";
import { BASE_SETTINGS } from "./helpers/core.js";

const settings = defineSettings({ ...BASE_SETTINGS, DEBUG: true, urlpatterns: [] });

describe("technical500Response without a request (an error before the request was built)", () => {
  it("says the request data is not supplied and still shows the error, its source and the settings", () => {
    const response = technical500Response(undefined, new RangeError("before the request"), settings);
    expect(response.statusCode).toBe(500);
    expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    const text = new TextDecoder().decode(response.content);
    expect(text.startsWith("RangeError: before the request\nException Type: RangeError\n")).toBe(true);
    expect(text).toContain("Request information:\n  Request data not supplied");
    expect(text).toMatch(/> +\d+ \| {5}const response = technical500Response\(undefined, new RangeError/);
    expect(text).toContain(`SECRET_KEY = "${MASK}"`);
    expect(text).not.toContain(BASE_SETTINGS.SECRET_KEY);
  });
});
