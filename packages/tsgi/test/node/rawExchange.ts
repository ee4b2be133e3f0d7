import net from "node:net";

/** A response read off a raw socket until the server closed it. */
export interface RawResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
  /** True when the server closed the connection after this one response. */
  closed: boolean;
}

/**
 * Sends `bytes` on a fresh connection to `port` and reads until the server closes it (a refused head must
 * be answered once, then closed). `expectClose: false` reads one response of known length instead.
 */
export function rawExchange(port: number, bytes: string, expectClose = true): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(Buffer.from(bytes, "latin1")));
    let data = Buffer.alloc(0);
    const finish = (closed: boolean) => {
      const text = data.toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      if (split === -1) return reject(new Error(`no complete response head in ${JSON.stringify(text.slice(0, 200))}`));
      const [statusLine, ...lines] = text.slice(0, split).split("\r\n");
      const headers = lines.map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()] as [string, string]);
      resolve({ status: Number(statusLine!.split(" ")[1]), headers, body: text.slice(split + 4), closed });
    };
    socket.on("data", (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (expectClose) return;
      const text = data.toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, split + 2));
      if (split !== -1 && length && data.length >= split + 4 + Number(length[1])) {
        socket.destroy();
        finish(false);
      }
    });
    socket.on("end", () => finish(true));
    socket.on("error", reject);
  });
}

/** The value of header `name` (case-insensitive), joined when repeated. */
export function header(response: RawResponse, name: string): string | undefined {
  const values = response.headers.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
  return values.length === 0 ? undefined : values.join(", ");
}
