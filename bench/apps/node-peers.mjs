// The Node peers tsgi is measured against, each serving the same four routes:
//   GET /hello (13 bytes), GET /stream (64 KiB in 4 chunks), POST /upload (answers the length read).
// Also: --server ws (a `ws` WebSocketServer on a plain node:http server, echoing every message, for
// the WebSocket scenario) and --server fastify-site (the framework routes, apps/fastify_site.mjs).
// Usage: node node-peers.mjs --server node|fastify|express|hono|ws|fastify-site --port N [--workers N]
import cluster from "node:cluster";
import http from "node:http";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { server: { type: "string" }, port: { type: "string" }, workers: { type: "string", default: "1" } },
});
const port = Number(values.port);
const workers = Number(values.workers);
const HELLO = Buffer.from("Hello, World!");
const CHUNK = Buffer.alloc(16 * 1024, "x");

async function readLength(req) {
  let length = 0;
  for await (const chunk of req) length += chunk.length;
  return length;
}

const servers = {
  async node() {
    http
      .createServer(async (req, res) => {
        if (req.url === "/hello") {
          res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": HELLO.length });
          res.end(HELLO);
        } else if (req.url === "/stream") {
          res.writeHead(200, { "Content-Type": "application/octet-stream" });
          for (let i = 0; i < 4; i++) res.write(CHUNK);
          res.end();
        } else if (req.url === "/upload") {
          const length = await readLength(req);
          res.writeHead(200, { "Content-Type": "text/plain" });
          res.end(String(length));
        } else {
          res.writeHead(404).end();
        }
      })
      .listen(port, "127.0.0.1");
  },
  async fastify() {
    const { default: Fastify } = await import("fastify");
    const app = Fastify();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", (req, payload, done) => done(null));
    app.get("/hello", (req, reply) => reply.type("text/plain").send(HELLO));
    // Fastify sends a Node stream chunked; it refuses an async generator (a 500, FST_ERR_REP_INVALID_PAYLOAD_TYPE).
    app.get("/stream", (req, reply) => reply.type("application/octet-stream").send(Readable.from([CHUNK, CHUNK, CHUNK, CHUNK])));
    app.post("/upload", async (req, reply) => reply.type("text/plain").send(String(await readLength(req.raw))));
    await app.listen({ port, host: "127.0.0.1" });
  },
  async express() {
    const { default: express } = await import("express");
    const app = express();
    app.set("etag", false);
    app.set("x-powered-by", false);
    app.get("/hello", (req, res) => res.type("text/plain").send(HELLO));
    app.get("/stream", (req, res) => {
      res.type("application/octet-stream");
      for (let i = 0; i < 4; i++) res.write(CHUNK);
      res.end();
    });
    app.post("/upload", async (req, res) => res.type("text/plain").send(String(await readLength(req))));
    app.listen(port, "127.0.0.1");
  },
  async hono() {
    const { Hono } = await import("hono");
    const { serve } = await import("@hono/node-server");
    const app = new Hono();
    app.get("/hello", (c) => c.body(HELLO, 200, { "Content-Type": "text/plain" }));
    app.get("/stream", () => {
      let sent = 0;
      const body = new ReadableStream({
        pull(controller) {
          if (sent++ < 4) controller.enqueue(CHUNK);
          else controller.close();
        },
      });
      return new Response(body, { headers: { "Content-Type": "application/octet-stream" } });
    });
    app.post("/upload", async (c) => c.text(String((await c.req.arrayBuffer()).byteLength)));
    serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
  },
  async ws() {
    const { WebSocketServer } = await import("ws");
    const server = http.createServer((req, res) => res.writeHead(426, { "Content-Type": "text/plain" }).end("this endpoint speaks WebSocket\n"));
    // ws's defaults: no permessage-deflate, 100 MiB max payload; text comes back as text, binary as binary.
    new WebSocketServer({ server }).on("connection", (socket) => socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary })));
    server.listen(port, "127.0.0.1");
  },
  async "fastify-site"() {
    const { startFastifySite } = await import("./fastify_site.mjs");
    await startFastifySite(port);
  },
};

const start = servers[values.server];
if (!start) throw new Error(`unknown --server ${values.server}`);
if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    process.exit(0);
  });
} else {
  await start();
}
