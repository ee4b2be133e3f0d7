import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createWorkerServer } from "../src/connection/index.js";
import { TlsFileError } from "../src/connection/index.js";
import { closeAllServers, echoApp, echoBodies, rawExchange, startServer, statusOf, type EchoSummary } from "./http.helpers.js";

let dir: string;
let certFile: string;
let keyFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgi-tls-"));
  certFile = path.join(dir, "cert.pem");
  keyFile = path.join(dir, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=localhost"], {
    stdio: "ignore",
  });
});
afterEach(closeAllServers);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function httpsGet(port: number, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: "127.0.0.1", port, path: pathname, ca: fs.readFileSync(certFile), servername: "localhost", agent: false }, (res) => {
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
  });
}

describe("HTTPS (--certfile/--keyfile)", () => {
  it("serves HTTPS with the certificate, and the app sees the https scheme", async () => {
    const { port } = await startServer(echoApp, { tls: { cert: certFile, key: keyFile } });
    const { status, body } = await httpsGet(port, "/secure?x=1");
    expect(status).toBe(200);
    expect(JSON.parse(body) as EchoSummary).toMatchObject({ path: "/secure", query: "x=1", scheme: "https", remoteAddr: "127.0.0.1" });
  });

  it("applies the limits and malformed-request answers inside TLS too", async () => {
    const { port } = await startServer(echoApp, { tls: { cert: certFile, key: keyFile }, limitRequestLine: 100 });
    const long = await rawExchange(port, `GET /${"a".repeat(200)} HTTP/1.1\r\nHost: a\r\n\r\n`, { tls: true });
    expect(statusOf(long.text)).toBe(414);
    expect(long.closedByServer).toBe(true);
    const huge = await rawExchange(port, `GET /${"a".repeat(1_000_000)} HTTP/1.1\r\nHost: a\r\n\r\n`, { tls: true });
    expect(statusOf(huge.text)).toBe(414); // measured as it arrives, not judged after buffering
    const bad = await rawExchange(port, "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", { tls: true });
    expect(statusOf(bad.text)).toBe(400);
    expect(bad.closedByServer).toBe(true);
  });

  it("reads a PROXY preamble sent before the TLS handshake", async () => {
    const { port } = await startServer(echoApp, { tls: { cert: certFile, key: keyFile }, proxyProtocol: true });
    const raw = net.connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => raw.once("connect", () => resolve()));
    raw.write("PROXY TCP4 203.0.113.50 10.0.0.1 40000 443\r\n");
    const secure = tls.connect({ socket: raw, rejectUnauthorized: false });
    const text = await new Promise<string>((resolve) => {
      let received = "";
      secure.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
      secure.on("close", () => resolve(received));
      secure.on("error", () => resolve(received));
      secure.write("GET /p HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    });
    raw.destroy();
    expect(echoBodies(text)[0]).toMatchObject({ remoteAddr: "203.0.113.50", remotePort: "40000", scheme: "https" });
  });

  it("fails with a clear error when the certificate file is missing", () => {
    expect(() => createWorkerServer(echoApp, { tls: { cert: path.join(dir, "missing.pem"), key: keyFile } })).toThrow(TlsFileError);
    expect(() => createWorkerServer(echoApp, { tls: { cert: path.join(dir, "missing.pem"), key: keyFile } })).toThrow(/cannot read TLS file .*missing\.pem/);
  });
});
