/** One uwsgi request packet: the header and the CGI variables nginx sends (`uwsgi_param`s and HTTP_* headers). */
export interface UwsgiPacket {
  /** 0 for WSGI-style apps (nginx's `uwsgi_modifier1` default). */
  modifier1: number;
  modifier2: number;
  /** The variables as latin-1 strings (bytes as they came, PEP 3333 style). A repeated key keeps its last value. */
  vars: Map<string, string>;
}

/** Result of looking at the first bytes of a uwsgi connection. */
export type UwsgiPacketParse = { complete: false } | { complete: true; consumed: number; packet: UwsgiPacket };

/** A malformed uwsgi packet: the connection is closed. */
export class UwsgiPacketError extends Error {
  constructor(message: string) {
    super(`invalid uwsgi packet: ${message}`);
    this.name = "UwsgiPacketError";
  }
}

/** Size of the packet header: modifier1 (u8), datasize (u16 little-endian), modifier2 (u8). */
export const UWSGI_HEADER_SIZE = 4;

/**
 * Parses a uwsgi request packet (the uwsgi protocol's "modifier1 0" request: a 4-byte header
 * then `datasize` bytes of key/value pairs, each `u16le length` + bytes). Says when more bytes
 * are needed; throws UwsgiPacketError when the bytes cannot be a packet.
 *
 * @example
 * const parsed = parseUwsgiPacket(buffer);
 * if (parsed.complete) parsed.packet.vars.get("REQUEST_METHOD"); // "GET"
 */
export function parseUwsgiPacket(data: Buffer): UwsgiPacketParse {
  if (data.length < UWSGI_HEADER_SIZE) return { complete: false };
  const modifier1 = data[0] as number;
  const size = data.readUInt16LE(1);
  const modifier2 = data[3] as number;
  const consumed = UWSGI_HEADER_SIZE + size;
  if (data.length < consumed) return { complete: false };
  return { complete: true, consumed, packet: { modifier1, modifier2, vars: parseVars(data.subarray(UWSGI_HEADER_SIZE, consumed)) } };
}

function parseVars(block: Buffer): Map<string, string> {
  const vars = new Map<string, string>();
  let offset = 0;
  while (offset < block.length) {
    const key = readString(block, offset, "key");
    offset = key.next;
    const value = readString(block, offset, `value of ${key.text}`);
    offset = value.next;
    if (key.text === "") throw new UwsgiPacketError("empty variable name");
    vars.set(key.text, value.text);
  }
  return vars;
}

function readString(block: Buffer, offset: number, what: string): { text: string; next: number } {
  if (offset + 2 > block.length) throw new UwsgiPacketError(`truncated length of ${what}`);
  const length = block.readUInt16LE(offset);
  const end = offset + 2 + length;
  if (end > block.length) throw new UwsgiPacketError(`${what} runs past the end of the packet`);
  return { text: block.toString("latin1", offset + 2, end), next: end };
}

/**
 * Encodes a packet (for tests and for clients speaking uwsgi).
 *
 * @example
 * socket.write(encodeUwsgiPacket({ REQUEST_METHOD: "GET", PATH_INFO: "/" }));
 */
export function encodeUwsgiPacket(vars: Record<string, string>, modifier1 = 0, modifier2 = 0): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(vars)) {
    for (const text of [key, value]) {
      const bytes = Buffer.from(text, "latin1");
      const length = Buffer.alloc(2);
      length.writeUInt16LE(bytes.length);
      parts.push(length, bytes);
    }
  }
  const body = Buffer.concat(parts);
  if (body.length > 0xffff) throw new UwsgiPacketError(`variables take ${body.length} bytes, more than 65535`);
  const header = Buffer.from([modifier1, body.length & 0xff, body.length >> 8, modifier2]);
  return Buffer.concat([header, body]);
}
