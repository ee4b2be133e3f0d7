import { afterEach, describe, expect, it } from "vitest";
import { parseIpAllowList, InvalidAllowListError } from "../src/proxy/ipAllowList.js";
import { ProxyProtocolError, parseProxyHeader } from "../src/proxy/proxyProtocol.js";
import { createWorkerServer } from "../src/connection/index.js";
import { closeAllServers, echoApp, echoBodies, rawExchange, startServer, statusOf } from "./http.helpers.js";

afterEach(closeAllServers);

const get = (headers: string) => `GET /p HTTP/1.1\r\nHost: example.test\r\n${headers}Connection: close\r\n\r\n`;

describe("X-Forwarded-For / X-Forwarded-Proto / Forwarded", () => {
  it("ignores them from a peer not in --forwarded-allow-ips (but still shows the headers)", async () => {
    const { port } = await startServer(echoApp, { forwardedAllowIps: "10.0.0.1" });
    const { text } = await rawExchange(port, get("X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\n"));
    const [echo] = echoBodies(text);
    expect(echo).toMatchObject({ remoteAddr: "127.0.0.1", scheme: "http", forwardedFor: "203.0.113.7" });
  });

  it("trusts them from 127.0.0.1 by default: REMOTE_ADDR and url_scheme come from the proxy", async () => {
    const { port } = await startServer(echoApp);
    const { text } = await rawExchange(port, get("X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\n"));
    const [echo] = echoBodies(text);
    expect(echo).toMatchObject({ remoteAddr: "203.0.113.7", remotePort: "0", scheme: "https", serverPort: "443" });
  });

  it("walks the X-Forwarded-For chain from the right, stopping at the first untrusted hop", async () => {
    const { port } = await startServer(echoApp, { forwardedAllowIps: ["127.0.0.1", "10.0.0.0/8"] });
    const { text } = await rawExchange(port, get("X-Forwarded-For: 198.51.100.1, 203.0.113.9, 10.1.1.1\r\n"));
    expect(echoBodies(text)[0]?.remoteAddr).toBe("203.0.113.9");

    const trustAll = await startServer(echoApp, { forwardedAllowIps: "*" });
    const all = await rawExchange(trustAll.port, get("X-Forwarded-For: 198.51.100.1, 203.0.113.9, 10.1.1.1\r\n"));
    expect(echoBodies(all.text)[0]?.remoteAddr).toBe("198.51.100.1");
  });

  it("reads RFC 7239 Forwarded, with a quoted IPv6 address and port", async () => {
    const { port } = await startServer(echoApp);
    const { text } = await rawExchange(port, get('Forwarded: for="[2001:db8:cafe::17]:4711";proto=https;by=10.0.0.1\r\n'));
    expect(echoBodies(text)[0]).toMatchObject({ remoteAddr: "2001:db8:cafe::17", remotePort: "4711", scheme: "https" });
  });

  it("keeps the peer when the proxy says for=unknown", async () => {
    const { port } = await startServer(echoApp);
    const { text } = await rawExchange(port, get("Forwarded: for=unknown;proto=http\r\n"));
    expect(echoBodies(text)[0]).toMatchObject({ remoteAddr: "127.0.0.1", scheme: "http" });
  });

  it("answers 400 to contradictory scheme headers from a trusted proxy (as Gunicorn does)", async () => {
    const { port } = await startServer(echoApp);
    const { text, closedByServer } = await rawExchange(port, get("X-Forwarded-Proto: https\r\nX-Forwarded-Ssl: off\r\n"));
    expect(statusOf(text)).toBe(400);
    expect(text).toContain("Contradictory scheme headers");
    expect(closedByServer).toBe(true);
  });

  it("parses allow lists of IPs and networks, IPv4-mapped peers included, and rejects bad entries", () => {
    const list = parseIpAllowList("127.0.0.1, ::1, 10.0.0.0/8");
    expect(list.allows("::ffff:10.2.3.4")).toBe(true);
    expect(list.allows("::1")).toBe(true);
    expect(list.allows("11.0.0.1")).toBe(false);
    expect(list.allows(undefined)).toBe(false);
    expect(() => parseIpAllowList("localhost")).toThrow(InvalidAllowListError);
    expect(() => createWorkerServer(echoApp, { forwardedAllowIps: "10.0.0.0/99" })).toThrow(/invalid address "10.0.0.0\/99"/);
  });
});

function proxyV2(family: "ipv4" | "ipv6" | "local", source: number[], port: number): Buffer {
  const signature = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
  if (family === "local") return Buffer.concat([signature, Buffer.from([0x20, 0x00, 0x00, 0x00])]);
  const addressLength = family === "ipv4" ? 4 : 16;
  const block = Buffer.alloc(addressLength * 2 + 4 + 3); // + a 3-byte TLV to skip
  Buffer.from(source).copy(block, 0);
  block.writeUInt16BE(port, addressLength * 2);
  block.writeUInt16BE(80, addressLength * 2 + 2);
  block.set([0x04, 0x00, 0x00], addressLength * 2 + 4); // PP2_TYPE_NOOP, length 0
  const header = Buffer.from([0x21, family === "ipv4" ? 0x11 : 0x21, 0, 0]);
  header.writeUInt16BE(block.length, 2);
  return Buffer.concat([signature, header, block]);
}

describe("PROXY protocol", () => {
  it("takes REMOTE_ADDR and REMOTE_PORT from a v1 preamble sent with the request", async () => {
    const { port } = await startServer(echoApp, { proxyProtocol: true });
    const { text } = await rawExchange(port, "PROXY TCP4 203.0.113.7 10.0.0.1 51000 80\r\n" + get(""));
    expect(echoBodies(text)[0]).toMatchObject({ remoteAddr: "203.0.113.7", remotePort: "51000" });
  });

  it("keeps the proxied address for every request of a keep-alive connection, preamble sent alone", async () => {
    const { port } = await startServer(echoApp, { proxyProtocol: true });
    const { text } = await rawExchange(port, [
      "PROXY TCP6 2001:db8::7 2001:db8::1 4000 80\r\n",
      "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n",
      "GET /2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    ]);
    expect(echoBodies(text).map((e) => [e.path, e.remoteAddr])).toEqual([
      ["/1", "2001:db8::7"],
      ["/2", "2001:db8::7"],
    ]);
  });

  it("reads v2 binary preambles (IPv4, IPv6 with TLVs, LOCAL)", async () => {
    const { port } = await startServer(echoApp, { proxyProtocol: true });
    const v4 = await rawExchange(port, Buffer.concat([proxyV2("ipv4", [198, 51, 100, 9], 6000), Buffer.from(get(""))]));
    expect(echoBodies(v4.text)[0]).toMatchObject({ remoteAddr: "198.51.100.9", remotePort: "6000" });
    const ipv6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42];
    const v6 = await rawExchange(port, Buffer.concat([proxyV2("ipv6", ipv6, 7000), Buffer.from(get(""))]));
    expect(echoBodies(v6.text)[0]).toMatchObject({ remoteAddr: "2001:db8::42", remotePort: "7000" });
    const local = await rawExchange(port, Buffer.concat([proxyV2("local", [], 0), Buffer.from(get(""))]));
    expect(echoBodies(local.text)[0]).toMatchObject({ remoteAddr: "127.0.0.1" });
  });

  it.each([
    ["no preamble at all", "GET / HTTP/1.1\r\nHost: a\r\n\r\n"],
    ["a v1 line with missing fields", "PROXY TCP4 203.0.113.7\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"],
    ["a v1 address of the wrong family", "PROXY TCP4 2001:db8::1 10.0.0.1 1 2\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"],
    ["a v1 port out of range", "PROXY TCP4 1.2.3.4 10.0.0.1 70000 80\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"],
    ["a v1 line that never ends", "PROXY TCP4 " + "1".repeat(200)],
  ])("closes the connection without an answer on %s", async (_name, data) => {
    const { port } = await startServer(echoApp, { proxyProtocol: true });
    const { text, closedByServer } = await rawExchange(port, data);
    expect(text).toBe("");
    expect(closedByServer).toBe(true);
  });

  it("closes connections from peers not allowed to send preambles", async () => {
    const { port } = await startServer(echoApp, { proxyProtocol: true, proxyAllowIps: "10.9.9.9" });
    const { text, closedByServer } = await rawExchange(port, "PROXY TCP4 203.0.113.7 10.0.0.1 51000 80\r\n" + get(""));
    expect(text).toBe("");
    expect(closedByServer).toBe(true);
  });

  it("asks for more bytes on a partial preamble and rejects a v2 with an unknown version", () => {
    expect(parseProxyHeader(Buffer.from("PROXY TCP4 1.2"))).toEqual({ complete: false });
    expect(parseProxyHeader(proxyV2("ipv4", [1, 2, 3, 4], 5).subarray(0, 20))).toEqual({ complete: false });
    const badVersion = proxyV2("ipv4", [1, 2, 3, 4], 5);
    badVersion[12] = 0x31;
    expect(() => parseProxyHeader(badVersion)).toThrow(ProxyProtocolError);
    expect(parseProxyHeader(Buffer.from("PROXY UNKNOWN\r\nGET"))).toEqual({ complete: true, consumed: 15 });
  });
});
