import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BadHeaderError, ConsoleEmailBackend, EmailMessage, FileEmailBackend, ImproperlyConfigured, SmtpEmailBackend, defineSettings, getConnection, outbox, sendMail, sendMassMail,
} from "../../src/index.js";

interface Received {
  from: string;
  to: string[];
  data: string;
  user?: string;
}

describe("SMTP backend against a real SMTP server on 127.0.0.1", () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === "mailer" && auth.password === "pw") callback(null, { user: "mailer" });
        else callback(new Error("Invalid username or password"));
      },
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith("@refused.example")) callback(new Error("Recipient refused"));
        else callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          received.push({
            from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString("utf8"),
            ...(typeof session.user === "string" && { user: session.user }),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.server.address();
    port = typeof address === "object" && address !== null ? address.port : 0;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("sends text, HTML, cc/bcc and attachments; bcc is not in the headers", async () => {
    const backend = new SmtpEmailBackend("site@example.com", { host: "127.0.0.1", port, user: "mailer", password: "pw", timeout: 10 });
    const message = new EmailMessage({ subject: "Héllo", body: "Plain body", html: "<p>HTML body</p>", to: ["a@example.com"], cc: ["c@example.com"], bcc: ["hidden@example.com"], headers: { "X-Test": "1" } });
    message.attach("notes.txt", "attached text", "text/plain");
    expect(await backend.sendMessages([message])).toBe(1);
    const got = received.at(-1);
    expect(got?.from).toBe("site@example.com");
    expect(got?.to).toEqual(["a@example.com", "c@example.com", "hidden@example.com"]);
    expect(got?.user).toBe("mailer");
    expect(got?.data).toContain("X-Test: 1");
    expect(got?.data).toContain("Plain body");
    expect(got?.data).toContain("<p>HTML body</p>");
    expect(got?.data).toContain('filename=notes.txt');
    expect(got?.data).not.toMatch(/^Bcc:/m);
  });

  it("sendMail through EMAIL_BACKEND smtp settings", async () => {
    const settings = defineSettings({ SECRET_KEY: "s".repeat(50), EMAIL_BACKEND: "smtp", EMAIL_HOST: "127.0.0.1", EMAIL_PORT: port, DEFAULT_FROM_EMAIL: "noreply@example.com" });
    expect(await sendMail("Subject", "Body", null, ["b@example.com"], { connection: getConnection(undefined, settings) })).toBe(1);
    expect(received.at(-1)?.from).toBe("noreply@example.com");
  });

  it("a refused recipient, bad credentials or a closed port reject; failSilently returns 0", async () => {
    const message = new EmailMessage({ subject: "x", body: "y", to: ["x@refused.example"] });
    await expect(new SmtpEmailBackend("a@example.com", { host: "127.0.0.1", port }).sendMessages([message])).rejects.toThrow(/Recipient refused/);
    const ok = new EmailMessage({ subject: "x", body: "y", to: ["x@example.com"] });
    await expect(new SmtpEmailBackend("a@example.com", { host: "127.0.0.1", port, user: "mailer", password: "wrong" }).sendMessages([ok])).rejects.toThrow(/Invalid username or password/);
    const closed = new SmtpEmailBackend("a@example.com", { host: "127.0.0.1", port: 1, timeout: 5 });
    await expect(closed.sendMessages([ok])).rejects.toThrow();
    expect(await sendMail("s", "b", null, ["x@example.com"], { connection: closed, failSilently: true })).toBe(0);
  });
});

describe("other backends and messages", () => {
  it("console writes the MIME message; file writes one file per message; locmem keeps them; no recipients sends nothing", async () => {
    const lines: string[] = [];
    const consoleBackend = new ConsoleEmailBackend("from@example.com", { write: (text: string) => lines.push(text) });
    expect(await sendMail("Hi there", "Body text", null, ["a@example.com"], { connection: consoleBackend })).toBe(1);
    expect(lines.join("")).toMatch(/Subject: Hi there[\s\S]*Body text/);
    expect(await sendMail("Hi", "Body", null, [], { connection: consoleBackend })).toBe(0);

    const dir = mkdtempSync(join(tmpdir(), "mail-"));
    const fileBackend = new FileEmailBackend("from@example.com", join(dir, "out"));
    expect(await sendMassMail([["One", "1", null, ["a@example.com"]], ["Two", "2", "x@example.com", ["b@example.com"]]], { connection: fileBackend })).toBe(2);
    const files = readdirSync(join(dir, "out"));
    expect(files).toHaveLength(2);
    expect(files.map((f) => readFileSync(join(dir, "out", f), "utf8")).join("")).toMatch(/From: x@example.com/);
    expect(() => new FileEmailBackend("a@example.com", null)).toThrow(ImproperlyConfigured);

    outbox.length = 0;
    const locmem = getConnection("locmem");
    await new EmailMessage({ subject: "Kept", body: "b", to: ["a@example.com"] }).send({ connection: locmem });
    expect(outbox.map((m) => m.subject)).toEqual(["Kept"]);
  });

  it("refuses header injection and unknown backends", async () => {
    const locmem = getConnection("locmem");
    await expect(sendMail("Hi\nBcc: victim@example.com", "b", null, ["a@example.com"], { connection: locmem })).rejects.toBeInstanceOf(BadHeaderError);
    await expect(new EmailMessage({ subject: "ok", to: ["a@example.com"], headers: { "X-A": "1\r\nX-B: 2" } }).toMime("f@example.com")).rejects.toBeInstanceOf(BadHeaderError);
    expect(() => getConnection("carrier-pigeon" as never)).toThrow(/unknown backend "carrier-pigeon"/);
    expect(await getConnection("dummy").sendMessages([new EmailMessage({ to: ["a@example.com"] })])).toBe(1);
  });
});
