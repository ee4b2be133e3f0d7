import type { Environ } from "tsgi";
import { BadRequest, RawPostDataException } from "../../exceptions.js";
import type { Settings } from "../../settings/types.js";
import { MultiValueDict } from "../multiValueDict.js";
import { QueryDict } from "../queryDict.js";
import { parseMultipart } from "./multipart.js";
import { readBody, tooBig } from "./readBody.js";
import type { UploadedFile } from "./uploadedFile.js";

/** What the request's form body parses to. */
export interface ParsedForm {
  post: QueryDict;
  files: MultiValueDict<UploadedFile>;
}

/**
 * The request body, read from `tsgi.input` only when first asked for and cached
 * (the engine behind `request.body()`, `text()`, `json()`, `POST()`, `FILES()`),
 * with the DATA_UPLOAD_* limits applied as Django applies them.
 *
 * @example
 * const data = new RequestBody(environ, settings, "POST", "application/json", {});
 * const value = await data.json();
 */
export class RequestBody {
  #body: Promise<Uint8Array> | undefined;
  #form: Promise<ParsedForm> | undefined;
  #streamConsumed = false;

  constructor(
    private readonly environ: Environ,
    private readonly settings: Settings,
    private readonly method: string,
    private readonly contentType: string,
    private readonly contentParams: Readonly<Record<string, string>>,
  ) {}

  /**
   * The raw body (at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes, else RequestDataTooBig, answered 413).
   *
   * @example
   * const bytes = await request.body();
   */
  body(): Promise<Uint8Array> {
    if (this.#body !== undefined) return this.#body;
    if (this.#streamConsumed) {
      return Promise.reject(new RawPostDataException("You cannot read body() after POST()/FILES() parsed a multipart request from the stream."));
    }
    const limit = this.settings.DATA_UPLOAD_MAX_MEMORY_SIZE;
    const declared = Number.parseInt(String(this.environ.CONTENT_LENGTH ?? "0"), 10) || 0;
    if (limit !== null && declared > limit) return (this.#body = Promise.reject<Uint8Array>(tooBig(limit)));
    this.#streamConsumed = true;
    this.#body = readBody(this.environ["tsgi.input"], limit);
    return this.#body;
  }

  /** The body decoded as text (the Content-Type charset, else utf-8). */
  async text(): Promise<string> {
    const charset = this.contentParams.charset ?? "utf-8";
    try {
      return new TextDecoder(charset, { fatal: true }).decode(await this.body());
    } catch (error) {
      if (error instanceof RangeError) throw new BadRequest(`Unsupported request charset ${JSON.stringify(charset)}.`, { expose: true });
      if (error instanceof TypeError) throw new BadRequest(`The request body is not valid ${charset}.`, { expose: true });
      throw error;
    }
  }

  /**
   * The body parsed as JSON; BadRequest (400) when it is not JSON.
   *
   * @example
   * const { title } = await request.json<{ title: string }>();
   */
  async json<T = unknown>(): Promise<T> {
    const text = await this.text();
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new BadRequest(`The request body is not valid JSON: ${(error as Error).message}`, { cause: error, expose: true });
    }
  }

  /** Fields and files of a POST (urlencoded or multipart); empty for other methods and types, as in Django. */
  form(): Promise<ParsedForm> {
    this.#form ??= this.#parseForm();
    return this.#form;
  }

  /** Deletes spooled uploads (when the response is closed). */
  /** False while the form was never parsed: {@link cleanup} would have nothing to delete. */
  get needsCleanup(): boolean {
    return this.#form !== undefined;
  }

  async cleanup(): Promise<void> {
    const form = await this.#form?.catch(() => undefined);
    if (form === undefined) return;
    for (const [, file] of form.files) await file.cleanup();
  }

  async #parseForm(): Promise<ParsedForm> {
    const empty = { post: QueryDict.parse(""), files: new MultiValueDict<UploadedFile>() };
    if (this.method !== "POST") return empty;
    const settings = this.settings;
    if (this.contentType === "application/x-www-form-urlencoded") {
      const charset = this.contentParams.charset;
      if (charset !== undefined && charset.toLowerCase() !== "utf-8") {
        throw new BadRequest("HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded.", { expose: true });
      }
      const text = Buffer.from(await this.body()).toString("latin1");
      return { post: QueryDict.parse(text, { maxFields: settings.DATA_UPLOAD_MAX_NUMBER_FIELDS }), files: empty.files };
    }
    if (this.contentType === "multipart/form-data") {
      const source = this.#body !== undefined ? [await this.#body] : this.#takeStream();
      const { post, files } = await parseMultipart(source, this.environ.CONTENT_TYPE ?? "", {
        maxMemorySize: settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        maxNumberFields: settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        maxNumberFiles: settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        fileMaxMemorySize: settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        tempDir: settings.FILE_UPLOAD_TEMP_DIR,
      });
      return { post: post.freeze(), files };
    }
    return empty;
  }

  #takeStream(): AsyncIterable<Uint8Array> {
    if (this.#streamConsumed) throw new RawPostDataException("The request body was already read.");
    this.#streamConsumed = true;
    return this.environ["tsgi.input"];
  }
}
