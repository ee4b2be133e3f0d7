// A complete TSGI server on node:net: how a new server plugs into tsgi (SPEC.md, "Writing a Server").
import { once } from "node:events";
import net from "node:net";
import { assembleEnviron, checkRequestHead, createInputStream, GUNICORN_HEAD_LIMITS, headRejectionBytes, runApplication } from "tsgi";
import type { Application, ResponseSink } from "tsgi";

/** One request per connection, answered with `Connection: close`; a request body by Content-Length only. */
export function createNetServer(app: Application): net.Server {
  return net.createServer((socket) => {
    let bytes = Buffer.alloc(0);
    socket.on("data", function onData(chunk: Buffer) {
      bytes = Buffer.concat([bytes, chunk]);
      const headEnd = bytes.indexOf("\r\n\r\n");
      if (headEnd === -1) return; // a real server also caps the bytes it waits for here
      const [requestLine = "", ...lines] = bytes.toString("latin1", 0, headEnd).split("\r\n");
      const [method = "", target = "", version = ""] = requestLine.split(" ");
      const rawHeaders = lines.flatMap((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()]);
      const head = { method, target, httpVersion: version.replace(/^HTTP\//, ""), rawHeaders };
      // 1. check the head: a refused one gets its status, Connection: close, and never reaches the app
      const rejection = checkRequestHead(head, GUNICORN_HEAD_LIMITS);
      if (rejection) return void socket.off("data", onData).end(headRejectionBytes(rejection));
      const lengthAt = rawHeaders.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === "content-length");
      const body = bytes.subarray(headEnd + 4);
      if (body.length < Number(lengthAt === -1 ? 0 : rawHeaders[lengthAt + 1])) return; // wait for the whole body
      socket.off("data", onData);
      // 2. build the environ: the assembler writes every CGI and tsgi.* key; the server adds only its own
      const connection = { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort, localAddress: socket.localAddress, localPort: socket.localPort, scheme: "http" };
      const environ = assembleEnviron(head, connection, createInputStream([body]), { multiprocess: false }, { RAW_URI: target });
      // 3. run the app into a sink that writes HTTP/1.1 on the socket; runApplication does the rest of SPEC.md
      void runApplication(app, environ, {
        sendHeaders: (status, headers) =>
          void socket.write(`HTTP/1.1 ${status}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join("")}Connection: close\r\n\r\n`, "latin1"),
        write: (chunk) => (socket.write(chunk) ? undefined : once(socket, "drain").then(() => undefined)),
        end: () => void socket.end(),
        abort: () => void socket.destroy(),
      } satisfies ResponseSink);
    });
    socket.on("error", () => socket.destroy());
  });
}
