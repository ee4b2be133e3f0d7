// echoApp.ts
import type { Application } from "tsgi";

/** Echoes each message back as it came (text as text, binary as binary); plain HTTP gets 426. */
export const echoApp: Application = async (environ, startResponse) => {
  const websocket = environ["tsgi.websocket"];
  if (websocket === undefined) {
    startResponse("426 Upgrade Required", [["Content-Type", "text/plain; charset=utf-8"]]);
    return [new TextEncoder().encode("this endpoint speaks WebSocket\n")];
  }
  if (environ.HTTP_ORIGIN !== undefined && environ.HTTP_ORIGIN !== `http://${environ.HTTP_HOST}`) {
    startResponse("403 Forbidden", [["Content-Type", "text/plain; charset=utf-8"]]);
    return [new TextEncoder().encode("cross-site WebSocket refused\n")];
  }
  await websocket.accept({ subprotocol: websocket.subprotocols.includes("echo") ? "echo" : undefined });
  for await (const message of websocket) {
    await websocket.send(message); // resolves when handed to the socket: a slow client slows this loop
  }
  return []; // the client closed; the server already answered its close frame
};
