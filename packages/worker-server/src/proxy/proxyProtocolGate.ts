import type net from "node:net";
import type { IpAllowList } from "./ipAllowList.js";
import { ProxyProtocolError, parseProxyHeader, type ProxiedAddress } from "./proxyProtocol.js";

/** Options of {@link createProxyProtocolGate}. */
export interface ProxyProtocolGateOptions {
  /** Peers allowed to send a preamble; connections from others are closed. */
  allowFrom: IpAllowList;
  /** Milliseconds a client has to send its complete preamble (default 10 s). */
  timeoutMs?: number;
  /** Reports a refused connection (default: ignored; it is a client error). */
  onReject?(error: Error, socket: net.Socket): void;
}

/**
 * Wraps a connection handler so every connection must start with a PROXY v1/v2 preamble:
 * the preamble is read off the raw socket, the bytes after it are put back, and the
 * connection goes on to `next` (the HTTP or uwsgi server) with the real client address it
 * named (for `REMOTE_ADDR`; undefined for `UNKNOWN`/`LOCAL`). A malformed or missing preamble closes the connection.
 *
 * @example
 * acceptor.on("connection", createProxyProtocolGate((socket, proxied) => protocol.handleConnection(socket, proxied), { allowFrom }));
 */
export function createProxyProtocolGate(
  next: (socket: net.Socket, proxied?: ProxiedAddress) => void,
  options: ProxyProtocolGateOptions,
): (socket: net.Socket) => void {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return (socket) => {
    if (!options.allowFrom.allows(socket.remoteAddress)) {
      options.onReject?.(new ProxyProtocolError(`peer ${socket.remoteAddress} may not send PROXY preambles`), socket);
      socket.destroy();
      return;
    }
    let buffered: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new ProxyProtocolError("preamble not received in time")), timeoutMs);
    const fail = (error: Error) => {
      cleanup();
      options.onReject?.(error, socket);
      socket.destroy();
    };
    const cleanup = () => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("end", onEnd);
    };
    const onError = () => fail(new ProxyProtocolError("connection error before the preamble"));
    const onEnd = () => fail(new ProxyProtocolError("connection closed before the preamble ended"));
    const onData = (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      let parsed;
      try {
        parsed = parseProxyHeader(buffered);
      } catch (error) {
        return fail(error as Error);
      }
      if (!parsed.complete) return;
      cleanup();
      socket.pause();
      const rest = buffered.subarray(parsed.consumed);
      if (rest.length > 0) socket.unshift(rest);
      next(socket, parsed.source);
    };
    socket.on("data", onData);
    socket.on("error", onError);
    socket.on("end", onEnd);
  };
}
