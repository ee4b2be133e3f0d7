import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOP_BY_HOP_HEADERS, type Application, type ErrorStream } from "../../src/index.js";
import { createServer } from "../../src/node/index.js";
import { RawConnection, headerValue, type RawRequest } from "../../src/conformance/index.js";

// Refused headers are logged as app errors on purpose; keep them out of the test output.
const quiet: ErrorStream = { write() {}, writelines() {}, flush() {} };

/** Answers with the environ keys the tests look at, as JSON; `/hop?name=X` sends the hop-by-hop header X. */
const app: Application = (environ, startResponse) => {
  const query = new URLSearchParams(environ.QUERY_STRING);
  if (environ.PATH_INFO === "/hop") {
    startResponse("200 OK", [["Content-Type", "text/plain"], [query.get("name") ?? "", "x"]]);
    return [new TextEncoder().encode("hop-by-hop header sent\n")];
  }
  const keys = ["SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "HTTP_HOST", "tsgi.url_scheme"];
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  return [new TextEncoder().encode(JSON.stringify(Object.fromEntries(keys.map((key) => [key, environ[key] ?? null]))))];
};

let server: Server;
let url: string;
let port: number;
beforeAll(async () => {
  server = createServer(app, { errors: quiet, onError: () => {} });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function exchange(request: RawRequest): Promise<{ status: number; body: string; headers: Array<[string, string]> }> {
  const connection = await RawConnection.open(url);
  try {
    await connection.send({ ...request, headers: [...(request.headers ?? []), ["Connection", "close"]] });
    const response = await connection.readResponse();
    return { status: response.statusCode, body: response.body.toString("latin1"), headers: response.headers };
  } finally {
    connection.close();
  }
}

async function environFor(request: RawRequest): Promise<Record<string, unknown>> {
  const response = await exchange(request);
  expect(response.status).toBe(200);
  return JSON.parse(response.body) as Record<string, unknown>;
}

describe("tsgi/node: SERVER_NAME, SERVER_PORT and SERVER_PROTOCOL over a real socket", () => {
  it.each<[host: string, name: string, serverPort: string]>([
    ["example.test", "example.test", "80"],
    ["example.test:8123", "example.test", "8123"],
    ["[::1]:8123", "[::1]", "8123"],
    ["[::1]", "[::1]", "80"],
    ["[2001:db8::7]:9000", "[2001:db8::7]", "9000"],
  ])("Host %s gives SERVER_NAME %s and SERVER_PORT %s", async (host, name, serverPort) => {
    const environ = await environFor({ target: "/", headers: [["Host", host]] });
    expect(environ).toMatchObject({ SERVER_NAME: name, SERVER_PORT: serverPort, HTTP_HOST: host, SERVER_PROTOCOL: "HTTP/1.1" });
  });

  it("falls back to the local address and port when an HTTP/1.0 request has no Host", async () => {
    const environ = await environFor({ target: "/", version: "HTTP/1.0" });
    expect(environ).toMatchObject({ SERVER_NAME: "127.0.0.1", SERVER_PORT: String(port), HTTP_HOST: null, SERVER_PROTOCOL: "HTTP/1.0" });
  });
});

describe("tsgi/node: hop-by-hop headers are refused, whatever their case (SPEC: The startResponse() Callable)", () => {
  const names = ["Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade"];

  it("the SPEC's list is the one the server enforces", () => {
    for (const name of names) expect(HOP_BY_HOP_HEADERS.has(name.toLowerCase())).toBe(true);
  });

  it.each(names.flatMap((name) => [name, name.toLowerCase()]))("answers 500 when the app sends %s, which never reaches the client", async (name) => {
    const response = await exchange({ target: `/hop?name=${encodeURIComponent(name)}` });
    expect(response.status).toBe(500);
    expect(response.body).not.toContain("hop-by-hop header sent");
    if (name.toLowerCase() !== "connection") expect(headerValue(response.headers, name)).toBeUndefined();
  });
});
