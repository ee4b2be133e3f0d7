/**
 * The app every Autobahn-style run talks to: a WebSocket echo (text as text, binary as binary),
 * as the testsuite's own echo server does. A client that fails the connection while an echo is
 * on its way is the case under test, not an app error: that send's rejection is expected.
 */
import { WebSocketClosedError, type Application } from "tsgi";

const application: Application = async (environ, startResponse) => {
  const websocket = environ["tsgi.websocket"];
  if (websocket === undefined) {
    startResponse("426 Upgrade Required", [["Content-Type", "text/plain; charset=utf-8"]]);
    return [new TextEncoder().encode("this endpoint speaks WebSocket\n")];
  }
  await websocket.accept();
  for await (const message of websocket) {
    try {
      await websocket.send(message);
    } catch (error) {
      if (!(error instanceof WebSocketClosedError)) throw error;
    }
  }
  return [];
};

export default application;
export { application };
