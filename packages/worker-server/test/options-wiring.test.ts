/**
 * The HTTP options given to the real `tsgi-worker` CLI reach its worker processes: PROXY protocol,
 * --forwarded-allow-ips, the three request limits, --keep-alive and the access log format.
 * (The behaviour behind each option is tested in depth on the HTTP layer: proxy, limits, accesslog tests.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { rawExchange, statusOf } from "./http.helpers.js";
import { APP, cleanupMasters, startMaster } from "./fixtures/master.js";

afterEach(cleanupMasters);

const proxyLine = (source: string) => `PROXY TCP4 ${source} 10.0.0.1 51000 80\r\n`;

describe("HTTP options on the command line", () => {
  it("reach the workers", async () => {
    const master = startMaster([
      "-b", "127.0.0.1:0", "--proxy-protocol", "--forwarded-allow-ips", "10.9.9.9",
      "--limit-request-line", "100", "--limit-request-fields", "5", "--limit-request-field-size", "60",
      "--keep-alive", "0", "--access-logfile", "-", "--access-log-format", "access %(h)s %(s)s %(U)s",
      APP,
    ]);
    const port = Number(new URL(await master.url()).port);
    await master.waitForCount(/Worker ready/, 1);
    const proxied = "X-Forwarded-For: 198.51.100.1\r\nX-Forwarded-Proto: https\r\n";

    // From a trusted proxy (the PROXY preamble's source is in --forwarded-allow-ips): the headers count.
    // No "Connection: close" sent: --keep-alive 0 makes the server close after the response.
    const trusted = await rawExchange(port, `${proxyLine("10.9.9.9")}GET /env HTTP/1.1\r\nHost: a\r\n${proxied}\r\n`);
    expect(trusted.closedByServer).toBe(true);
    expect(trusted.text).toMatch(/^connection: close$/im);
    expect(JSON.parse(trusted.text.slice(trusted.text.indexOf("\r\n\r\n") + 4))).toMatchObject({ remote: "198.51.100.1", scheme: "https" });

    // From any other peer they are ignored; REMOTE_ADDR is the PROXY source.
    const untrusted = await rawExchange(port, `${proxyLine("203.0.113.7")}GET /env HTTP/1.1\r\nHost: a\r\n${proxied}\r\n`);
    expect(JSON.parse(untrusted.text.slice(untrusted.text.indexOf("\r\n\r\n") + 4))).toMatchObject({ remote: "203.0.113.7", scheme: "http" });

    const line = await rawExchange(port, `${proxyLine("203.0.113.7")}GET /${"a".repeat(100)} HTTP/1.1\r\nHost: a\r\n\r\n`);
    expect(statusOf(line.text)).toBe(414);
    const fields = await rawExchange(port, `${proxyLine("203.0.113.7")}GET / HTTP/1.1\r\nHost: a\r\n${"X-A: 1\r\n".repeat(5)}\r\n`);
    expect(statusOf(fields.text)).toBe(431);
    const fieldSize = await rawExchange(port, `${proxyLine("203.0.113.7")}GET / HTTP/1.1\r\nHost: a\r\nX-Long: ${"b".repeat(60)}\r\n\r\n`);
    expect(statusOf(fieldSize.text)).toBe(431);

    await master.waitFor(/^access 198\.51\.100\.1 200 \/env$/);
    await master.waitFor(/^access 203\.0\.113\.7 200 \/env$/);
  });
});
