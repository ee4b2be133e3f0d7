import { randomBytes } from "node:crypto";

/** A file to upload with the test client. */
export interface ClientFile {
  name: string;
  content: string | Uint8Array;
  contentType?: string;
}

/** Form data the client encodes: values, lists of values, or files. */
export type ClientData = Readonly<Record<string, string | number | boolean | ClientFile | readonly (string | number | ClientFile)[] | null | undefined>>;

/** Django's `MULTIPART_CONTENT`, the default body type of `client.post`. */
export const MULTIPART_CONTENT = "multipart/form-data";

function isFile(value: unknown): value is ClientFile {
  return typeof value === "object" && value !== null && "content" in value && "name" in value;
}

function entries(data: ClientData): [string, string | ClientFile][] {
  const out: [string, string | ClientFile][] = [];
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === undefined) continue;
    const list: readonly (string | number | boolean | ClientFile)[] = Array.isArray(value) ? value : [value as string | number | boolean | ClientFile];
    for (const item of list) out.push([key, isFile(item) ? item : String(item)]);
  }
  return out;
}

/**
 * `a=1&b=x+y` (files are refused: they need multipart).
 *
 * @example
 * encodeUrlencoded({ q: "a b", tag: ["x", "y"] }); // "q=a+b&tag=x&tag=y"
 */
export function encodeUrlencoded(data: ClientData): string {
  const params = new URLSearchParams();
  for (const [key, value] of entries(data)) {
    if (typeof value !== "string") throw new TypeError(`Field ${JSON.stringify(key)} is a file: post it as multipart (the default contentType).`);
    params.append(key, value);
  }
  return params.toString();
}

function quote(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, " ");
}

/**
 * A `multipart/form-data` body and its Content-Type (with the boundary).
 *
 * @example
 * const { body, contentType } = encodeMultipart({ title: "Hi", doc: { name: "a.txt", content: "hello" } });
 */
export function encodeMultipart(data: ClientData): { body: Uint8Array; contentType: string } {
  const boundary = `BoUnDaRy${randomBytes(12).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const [key, value] of entries(data)) {
    if (typeof value === "string") {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(key)}"\r\n\r\n${value}\r\n`));
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${quote(key)}"; filename="${quote(value.name)}"\r\n` +
            `Content-Type: ${value.contentType ?? "application/octet-stream"}\r\n\r\n`,
        ),
        typeof value.content === "string" ? Buffer.from(value.content) : Buffer.from(value.content),
        Buffer.from("\r\n"),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: new Uint8Array(Buffer.concat(chunks)), contentType: `${MULTIPART_CONTENT}; boundary=${boundary}` };
}

/**
 * The body and Content-Type for `data` sent as `contentType` (Django's `_encode_data`):
 * multipart (default), urlencoded, JSON for objects with a JSON type, strings and bytes as they are.
 */
export function encodeBody(data: unknown, contentType: string = MULTIPART_CONTENT): { body: string | Uint8Array; contentType: string } {
  if (typeof data === "string" || data instanceof Uint8Array) return { body: data, contentType };
  const media = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (media === "application/json" || media.endsWith("+json")) return { body: JSON.stringify(data ?? null), contentType };
  const form = (data ?? {}) as ClientData;
  if (media === MULTIPART_CONTENT) return encodeMultipart(form);
  if (media === "application/x-www-form-urlencoded") return { body: encodeUrlencoded(form), contentType };
  throw new TypeError(`The test client cannot encode an object as ${JSON.stringify(contentType)}: pass a string or bytes body.`);
}
