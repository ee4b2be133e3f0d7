/**
 * The WebSocket echo scenario's TSGI app (SPEC.md, "WebSocket"), served compiled by tsgi-worker:
 * every message goes back as it came (text as text, binary as binary), each `send` awaited so a
 * slow client slows the loop. Plain HTTP gets 426, as the spec's echo example does.
 */
import type { Application } from "tsgi";

const UPGRADE_REQUIRED = new TextEncoder().encode("this endpoint speaks WebSocket\n");

export const application: Application = async (environ, startResponse) => {
  const websocket = environ["tsgi.websocket"];
  if (websocket === undefined) {
    startResponse("426 Upgrade Required", [["Content-Type", "text/plain; charset=utf-8"]]);
    return [UPGRADE_REQUIRED];
  }
  await websocket.accept();
  for await (const message of websocket) await websocket.send(message);
  return [];
};
