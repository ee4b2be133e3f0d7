/**
 * Autobahn categories 12 and 13: permessage-deflate (RFC 7692). 12 sends compressed messages of
 * growing size (compressible text, incompressible binary, and fragmented) under the plain offer;
 * 13 repeats an exchange under each parameter of the offer (context takeover, window bits), so
 * the server's answer must be one the client can use. A server that does not negotiate the
 * extension still echoes every message (sent uncompressed then); the runner reports such cases
 * as "not negotiated". RSV1 on a continuation frame fails the connection either way (§6.1).
 */
import { randomBytes } from "node:crypto";
import { OP } from "./frames.js";
import { binary, text, type AutobahnCase, type ExpectedMessage, type Step } from "./caseTypes.js";

const SIZES = [16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072];
const OFFERS = [
  "permessage-deflate",
  "permessage-deflate; client_no_context_takeover",
  "permessage-deflate; server_no_context_takeover",
  "permessage-deflate; client_max_window_bits",
  "permessage-deflate; client_max_window_bits=9",
  "permessage-deflate; server_max_window_bits=9",
  "permessage-deflate; server_max_window_bits=15",
  "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits=9",
];

/** Compressible text: words repeated, as a chat or JSON API sends. */
function wordy(bytes: number, seed: number): ExpectedMessage {
  const words = ["tsgi", "websocket", "deflate", "message", "frame", "server", "client", String(seed)];
  let out = "";
  for (let index = 0; out.length < bytes; index++) out += `${words[(index * 7 + seed) % words.length]} `;
  return text(out.slice(0, bytes));
}

/** Sends each message compressed (in `fragments` frames), awaiting its echo before the next, so takeover state matters. */
function exchange(messages: ExpectedMessage[], fragments = 1): Step[] {
  return messages.flatMap((message, index) => [{ compressed: { opcode: message.binary ? OP.binary : OP.text, payload: message.data, fragments } }, { waitMessages: index + 1 }]);
}

function sizes(): AutobahnCase[] {
  const kinds: Array<[string, (bytes: number, seed: number) => ExpectedMessage, number]> = [
    ["compressible text", wordy, 1],
    ["random binary", (bytes) => binary(randomBytes(bytes)), 1],
    ["compressible text in 3 fragments", wordy, 3],
  ];
  return kinds.flatMap(([kind, make, fragments], section) =>
    SIZES.map((bytes, index) => {
      const messages = Array.from({ length: 5 }, (_, seed) => make(bytes, seed));
      return { id: `12.${section + 1}.${index + 1}`, title: `5 ${kind} messages of ${bytes} bytes, compressed`, offer: OFFERS[0], steps: exchange(messages, fragments), expect: { kind: "echo", messages } } satisfies AutobahnCase;
    }),
  );
}

function offers(): AutobahnCase[] {
  return OFFERS.map((offer, index) => {
    const messages = [16, 1024, 4096, 32768, 65536, 4096, 16].map((bytes, seed) => wordy(bytes, seed));
    return { id: `13.${index + 1}`, title: `offer "${offer}": 7 messages of 16 B to 64 KiB`, offer, steps: exchange(messages), expect: { kind: "echo", messages } } satisfies AutobahnCase;
  });
}

const rsv1OnContinuation: AutobahnCase = {
  id: "12.4.1",
  title: "RSV1 on a continuation frame (only a message's first frame may carry it)",
  offer: OFFERS[0],
  steps: [{ frames: [{ opcode: OP.text, fin: false, payload: "plain " }, { opcode: OP.continuation, rsv: 4, payload: "continued" }] }],
  expect: { kind: "fail", codes: [1002] },
};

export const deflateCases: AutobahnCase[] = [...sizes(), rsv1OnContinuation, ...offers()];
