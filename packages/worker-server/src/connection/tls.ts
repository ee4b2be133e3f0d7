import fs from "node:fs";
import type net from "node:net";
import tls from "node:tls";
import type { ProxiedAddress } from "../proxy/proxyProtocol.js";
import type { TlsOptions } from "./options.js";
import { errorMessage } from "tsgi/helpers";

/** Thrown when a certificate or key file cannot be read. */
export class TlsFileError extends Error {
  constructor(file: string, cause: unknown) {
    super(`cannot read TLS file ${file}: ${errorMessage(cause)}`, { cause });
    this.name = "TlsFileError";
  }
}

/**
 * Puts TLS in front of a connection handler: each accepted socket is wrapped in a server-side
 * `TLSSocket` (bytes a PROXY gate put back are part of its handshake), and once the handshake is
 * done the decrypted socket goes on to `next` with the PROXY address, if any. The files are read
 * at once, so a bad path fails before anything listens. A handshake not done within
 * `handshakeTimeoutMs` closes the connection.
 *
 * @example
 * const accept = createTlsTerminator({ cert: "cert.pem", key: "key.pem" }, 60_000, (socket, proxied) => protocol.serve(socket, proxied));
 * accept(rawSocket);
 */
export function createTlsTerminator(
  options: TlsOptions,
  handshakeTimeoutMs: number,
  next: (socket: tls.TLSSocket, proxied: ProxiedAddress | undefined) => void,
): (socket: net.Socket, proxied?: ProxiedAddress) => void {
  const secureContext = tls.createSecureContext({ cert: readPem(options.cert), key: readPem(options.key) });
  return (socket, proxied) => {
    socket.setNoDelay(true);
    socket.allowHalfOpen = true; // the TLS socket inherits it: a client's close_notify must not cut our answer
    const secure = new tls.TLSSocket(socket, { isServer: true, secureContext, ALPNProtocols: ["http/1.1"] });
    const timer = setTimeout(() => secure.destroy(), handshakeTimeoutMs);
    // A failed handshake is the client's problem: drop its socket, never the worker.
    const onError = () => {
      clearTimeout(timer);
      secure.destroy();
      socket.destroy();
    };
    secure.once("error", onError);
    secure.once("close", () => clearTimeout(timer));
    secure.once("secure", () => {
      clearTimeout(timer);
      secure.off("error", onError);
      next(secure, proxied);
    });
    // No resume() here: the TLS layer reads the raw socket (and what a PROXY gate put back) itself.
  };
}

function readPem(source: string | Buffer): Buffer {
  if (Buffer.isBuffer(source)) return source;
  try {
    return fs.readFileSync(source);
  } catch (error) {
    throw new TlsFileError(source, error);
  }
}
