/** A server that builds the environ itself hands it forward: buildEnviron (with serverKeys) + serveEnviron. */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Application, ErrorStream } from "../../src/index.js";
import { buildEnviron, serveEnviron } from "../../src/node/index.js";
import { rawExchange } from "./rawExchange.js";

const quiet: ErrorStream = { write() {}, writelines() {}, flush() {} };
const echo: Application = (environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  const keys = ["PATH_INFO", "SERVER_NAME", "RAW_URI", "myserver.id", "tsgi.url_scheme"];
  return [Buffer.from(JSON.stringify(Object.fromEntries(keys.map((key) => [key, environ[key] ?? null]))))];
};

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serveWith(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  server = createHttpServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

describe("buildEnviron + serveEnviron", () => {
  it("serves an environ the server built with its own declared keys", async () => {
    let id = 0;
    const port = await serveWith((req, res) => {
      const environ = buildEnviron(req, { errors: quiet, serverKeys: () => ({ RAW_URI: req.url, "myserver.id": ++id }) });
      void serveEnviron(echo, environ, res, { onError: () => {} });
    });
    const response = await rawExchange(port, "GET /a%2Fb HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
    expect(JSON.parse(response.body)).toEqual({ PATH_INFO: "/a/b", SERVER_NAME: "example.com", RAW_URI: "/a%2Fb", "myserver.id": 1, "tsgi.url_scheme": "http" });
  });

  it("still applies the deprecated extraEnviron over the built environ (tsgi-worker's node:http path until it is replaced)", async () => {
    const port = await serveWith((req, res) => {
      const environ = buildEnviron(req, { errors: quiet, extraEnviron: () => ({ "tsgi.url_scheme": "https", SERVER_NAME: "patched" }) });
      void serveEnviron(echo, environ, res);
    });
    const response = await rawExchange(port, "GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
    expect(JSON.parse(response.body)).toMatchObject({ SERVER_NAME: "patched", "tsgi.url_scheme": "https" });
  });
});
