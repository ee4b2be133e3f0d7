/**
 * tsgi-worker's WebSockets behind a real nginx (issue 16): `proxy_pass` with `proxy_http_version
 * 1.1` and the Upgrade headers, to a plain worker and to one serving TLS (nginx verifying its
 * certificate). The environ sees the client nginx forwarded (X-Forwarded-For from a trusted peer).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { httpRequest } from "./fixtures/client.js";
import { cleanupMasters, FIXTURES, startMaster } from "./fixtures/master.js";
import { closeCode, openGreeted, roundTrip, terminateWebSockets } from "./fixtures/wsClient.js";
import { startNginx, stopNginx, type Nginx } from "./uwsgi.nginx.js";

const APP = `${FIXTURES}websocket-app.ts:app`;
let dir: string;
let certFile: string;
let keyFile: string;
const nginxes: Nginx[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgi-ws-nginx-"));
  certFile = path.join(dir, "cert.pem");
  keyFile = path.join(dir, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stdio: "ignore" });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  terminateWebSockets();
  for (const nginx of nginxes.splice(0)) await stopNginx(nginx);
  await cleanupMasters();
});

/** The `location /` of a WebSocket-capable reverse proxy, as nginx's documentation gives it. */
function proxyLocation(upstream: string, tls: boolean): string {
  return [
    `proxy_pass ${upstream};`,
    "proxy_http_version 1.1;",
    "proxy_set_header Upgrade $http_upgrade;",
    'proxy_set_header Connection "upgrade";',
    "proxy_set_header Host $host;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $scheme;",
    "proxy_read_timeout 300s;",
    ...(tls ? [`proxy_ssl_trusted_certificate ${certFile};`, "proxy_ssl_verify on;", "proxy_ssl_name localhost;", "proxy_ssl_server_name on;"] : []),
  ].join("\n      ");
}

async function openInfo(url: string, headers: Record<string, string>): Promise<{ client: WebSocket; info: Record<string, unknown> }> {
  const { client, first } = await openGreeted(url, "/info", { headers });
  return { client, info: JSON.parse(first) as Record<string, unknown> };
}

describe("WebSocket through nginx proxy_pass", () => {
  it.each([["plain", false], ["TLS to the worker", true]])("%s: echoes text, binary and a 512 KiB message, closes cleanly, and plain HTTP still works", async (_name, tls) => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "2", ...(tls ? ["--certfile", certFile, "--keyfile", keyFile] : []), APP]);
    const workerPort = Number(new URL(await master.url()).port);
    await master.waitForCount(/Worker ready/, 2);
    const nginx = await startNginx(workerPort, proxyLocation(`${tls ? "https" : "http"}://127.0.0.1:${workerPort}`, tls));
    nginxes.push(nginx);
    const url = `http://127.0.0.1:${nginx.port}`;

    // The client claims an address; nginx appends its peer (127.0.0.1, trusted), so the claim is the
    // client. The scheme is the client's (X-Forwarded-Proto: http), even over TLS from nginx to the worker.
    const { client, info } = await openInfo(url, { "X-Forwarded-For": "198.51.100.7" });
    expect(info).toMatchObject({ scheme: "http", remote: "198.51.100.7" });
    expect(master.bootedPids()).toContain(info.pid);
    expect(await roundTrip(client, "through nginx")).toBe("through nginx");
    const binary = new Promise<[Buffer, boolean]>((resolve) => client.once("message", (data: Buffer, isBinary: boolean) => resolve([data, isBinary])));
    client.send(Buffer.from([0, 1, 2, 255]));
    const [bytes, isBinary] = await binary;
    expect([[...bytes], isBinary]).toEqual([[0, 1, 2, 255], true]);
    const big = "z".repeat(512 * 1024);
    expect(await roundTrip(client, big)).toBe(big);

    const closed = closeCode(client);
    client.close(4001, "bye");
    expect(await closed).toBe(4001);

    const plain = await httpRequest(`${url}/`);
    expect(plain.status).toBe(200);
    expect(master.bootedPids()).toContain(Number(plain.body.trim()));
  });
});
