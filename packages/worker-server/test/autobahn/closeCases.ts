/**
 * Autobahn category 7: the closing handshake (RFC 6455 §5.5.1, §7.1-§7.4). The server answers a
 * close frame with one of its own and closes TCP; frames after a close are ignored; a close
 * payload of 1 byte, a reason over 123 bytes, a reason that is not UTF-8, or a code no endpoint
 * may send fails the connection.
 */
import { closePayload, OP } from "./frames.js";
import { filled, frameOf, text, type AutobahnCase, type Step } from "./caseTypes.js";

const closeFrame = (payload: Buffer = Buffer.alloc(0)) => ({ opcode: OP.close, payload });

function closeCase(id: string, title: string, steps: Step[], codes: number[], messages = [] as ReturnType<typeof text>[]): AutobahnCase {
  return { id, title, steps, expect: { kind: "close", codes, messages } };
}

/** Codes a peer may send (§7.4.1, IANA's registry up to 1014, and the 3000-4999 ranges): answered with 1000 or the same code. */
const VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999];
/** Codes that must not appear in a close frame: reserved, internal-only (1005, 1006, 1015), or unassigned. */
const INVALID_CODES = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];

function basics(): AutobahnCase[] {
  const hello = text("Hello World!");
  const fragment = (opcode: number, payload: string, fin: boolean) => ({ opcode, payload, fin });
  return [
    closeCase("7.1.1", "echo a text, then close normally", [{ frames: [frameOf(hello)] }, { waitMessages: 1 }, { frames: [closeFrame(closePayload(1000))] }], [1000], [hello]),
    closeCase("7.1.2", "close twice: the second is ignored", [{ frames: [closeFrame(closePayload(1000)), closeFrame(closePayload(1000))] }], [1000]),
    closeCase("7.1.3", "a ping after the close is ignored", [{ frames: [closeFrame(closePayload(1000)), { opcode: OP.ping, payload: "after close" }] }], [1000]),
    closeCase("7.1.4", "a text after the close is not echoed", [{ frames: [closeFrame(closePayload(1000)), frameOf(hello)] }], [1000]),
    closeCase("7.1.5", "a close between the fragments of a message", [{ frames: [fragment(OP.text, "fragment1", false), closeFrame(closePayload(1000)), fragment(OP.continuation, "fragment2", true)] }], [1000]),
    closeCase("7.1.6", "a 256 KiB message and a ping, then a close at once", [{ frames: [frameOf(filled(256 * 1024)), { opcode: OP.ping }, closeFrame(closePayload(1000))] }], [1000], [filled(256 * 1024)]),
    closeCase("7.3.1", "close without payload", [{ frames: [closeFrame()] }], [1000, 1005]),
    { id: "7.3.2", title: "close with a 1-byte payload", steps: [{ frames: [closeFrame(Buffer.from([0x03]))] }], expect: { kind: "close", codes: [1002] } },
    closeCase("7.3.3", "close with code 1000 and no reason", [{ frames: [closeFrame(closePayload(1000))] }], [1000]),
    closeCase("7.3.4", "close with code 1000 and a reason", [{ frames: [closeFrame(closePayload(1000, "Hello World!"))] }], [1000]),
    closeCase("7.3.5", "close with the longest reason, 123 bytes", [{ frames: [closeFrame(closePayload(1000, "*".repeat(123)))] }], [1000]),
    closeCase("7.3.6", "close with a 124-byte reason (a 126-byte control frame)", [{ frames: [closeFrame(closePayload(1000, "*".repeat(124)))] }], [1002]),
    closeCase("7.5.1", "close with a reason that is not UTF-8", [{ frames: [closeFrame(closePayload(1000, Buffer.concat([Buffer.from("κόσμε"), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from("edited")])))] }], [1007]),
  ];
}

function codes(): AutobahnCase[] {
  return [
    ...VALID_CODES.map((code, index) => closeCase(`7.7.${index + 1}`, `close with the valid code ${code}`, [{ frames: [closeFrame(closePayload(code))] }], [1000, code])),
    ...INVALID_CODES.map((code, index) => closeCase(`7.9.${index + 1}`, `close with the invalid code ${code}`, [{ frames: [closeFrame(closePayload(code))] }], [1002])),
  ];
}

export const closeCases: AutobahnCase[] = [...basics(), ...codes()];
