import { once } from "node:events";
import { createServer, type Server } from "node:http";
import {
  assembleEnviron,
  callApplication,
  createInputStream,
  parseStatus,
  stderrErrorStream,
  type Application,
  type ErrorStream,
  type ResponseBody,
  type ResponseHeaders,
  type WriteFn,
} from "tsgi";

/**
 * A deliberately small TSGI server, to read: no Content-Length enforcement,
 * no lazy 100-continue, no client-disconnect handling. Real servers use
 * `runApplication` from "tsgi" or `toNodeListener` from "tsgi/node".
 */
export function createSimpleServer(app: Application, errors: ErrorStream = stderrErrorStream): Server {
  return createServer(async (req, res) => {
    // The assembler writes every CGI and tsgi.* key, as on every other server (see "Writing a Server").
    const head = { method: req.method ?? "GET", target: req.url ?? "/", httpVersion: req.httpVersion, rawHeaders: req.rawHeaders };
    const { remoteAddress, remotePort, localAddress, localPort } = req.socket;
    const connection = { remoteAddress, remotePort, localAddress, localPort, scheme: "http" };
    const environ = assembleEnviron(head, connection, createInputStream(req), { errors });

    let status: string | undefined;
    let headers: ResponseHeaders = [];
    const sendHeaders = () => {
      if (status === undefined) throw new Error("the app sent a body before calling startResponse()");
      const { code, reason } = parseStatus(status) ?? { code: 500, reason: "Internal Server Error" };
      res.writeHead(code, reason, headers.flat());
    };
    const write: WriteFn = async (chunk) => {
      if (chunk.length === 0) return; // headers go out with the first non-empty chunk
      if (!res.headersSent) sendHeaders();
      if (!res.write(chunk)) await once(res, "drain"); // backpressure
    };
    const startResponse = (newStatus: string, newHeaders: ResponseHeaders, excInfo?: unknown): WriteFn => {
      if (excInfo !== undefined) {
        if (res.headersSent) throw excInfo; // too late to change the response
      } else if (status !== undefined) {
        throw new Error("startResponse() called a second time without excInfo");
      }
      status = newStatus;
      headers = newHeaders;
      return write;
    };

    let body: ResponseBody | undefined;
    try {
      body = await callApplication(app, environ, startResponse);
      for await (const chunk of body) await write(chunk);
      if (!res.headersSent) sendHeaders();
      res.end();
    } catch (error) {
      errors.write(`error in app: ${String(error)}\n`);
      if (res.headersSent) {
        res.destroy(); // the client sees a cut connection, not a complete wrong response
      } else {
        res.writeHead(500, { "Content-Type": "text/plain" }).end("Internal Server Error\n");
      }
    } finally {
      await body?.close?.(); // on every path
    }
  });
}
