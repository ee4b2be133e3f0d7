import type { WebSocket } from "ws";

/**
 * Pings an open socket every `interval` ms and cuts it when the previous ping went unanswered:
 * how a server finds clients that vanished without a close (RFC 6455 §5.5.2). The timer is
 * unref'd, so idle sockets never keep a stopping process alive; `0` turns it off.
 *
 * @example
 * startHeartbeat(socket, 30_000);
 */
export function startHeartbeat(socket: WebSocket, interval: number): void {
  if (interval <= 0) return;
  let answered = true;
  socket.on("pong", () => {
    answered = true;
  });
  const timer = setInterval(() => {
    if (!answered) return void socket.terminate();
    answered = false;
    socket.ping();
  }, interval);
  timer.unref();
  socket.once("close", () => clearInterval(timer));
}
