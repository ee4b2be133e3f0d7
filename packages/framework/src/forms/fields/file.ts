import { UploadedFile } from "../../http/body/uploadedFile.js";
import { Field, type FieldOptions } from "./field.js";
import { FileInput } from "../widgets/input.js";
import type { Widget } from "../widgets/widget.js";

/** Options of {@link FileField}. */
export interface FileFieldOptions<R extends boolean> extends FieldOptions<R> {
  /** Largest accepted size in bytes. */
  maxSize?: number;
  /** Longest accepted file name. */
  maxLength?: number;
  /** Accepted extensions, without the dot, any case (`["pdf", "txt"]`). */
  allowedExtensions?: readonly string[];
  /** Accepted media types as the client declared them (`["application/pdf", "image/*"]`). */
  allowedContentTypes?: readonly string[];
  /** Accept a zero-byte file (default false). */
  allowEmptyFile?: boolean;
}

/**
 * An uploaded file (Django's `FileField`), cleaned to the {@link UploadedFile}: size, name
 * length, extension and declared type checks. The form must be bound with the files
 * (`Form.fromRequest(request)` does) and posted as `multipart/form-data`.
 *
 * @example
 * new FileField({ maxSize: 5 * 1024 * 1024, allowedExtensions: ["pdf"] })
 */
export class FileField<R extends boolean = true> extends Field<UploadedFile, null, R> {
  readonly emptyValue = null;
  readonly maxSize: number | undefined;
  readonly maxLength: number | undefined;
  readonly allowedExtensions: readonly string[] | undefined;
  readonly allowedContentTypes: readonly string[] | undefined;
  readonly allowEmptyFile: boolean;

  constructor(options: FileFieldOptions<R> = {}) {
    super(options);
    this.maxSize = options.maxSize;
    this.maxLength = options.maxLength;
    this.allowedExtensions = options.allowedExtensions?.map((ext) => ext.toLowerCase().replace(/^\./, ""));
    this.allowedContentTypes = options.allowedContentTypes;
    this.allowEmptyFile = options.allowEmptyFile ?? false;
  }

  protected override defaultWidget(): Widget {
    return new FileInput();
  }

  protected override defaultErrorMessages(): Record<string, string> {
    return {
      ...super.defaultErrorMessages(),
      invalid: "No file was submitted. Check the encoding type on the form.",
      missing: "No file was submitted.",
      empty: "The submitted file is empty.",
      max_length: "Ensure this filename has at most %(max)d characters (it has %(length)d).",
      max_size: "Ensure this file is at most %(max)s bytes (it has %(size)s).",
      invalid_extension: "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s.",
      invalid_content_type: "Files of type “%(content_type)s” are not allowed.",
    };
  }

  toPython(value: unknown): UploadedFile | null {
    if (value === null || value === undefined || value === "") return null;
    // A string where a file was expected: the form was not posted as multipart.
    if (!(value instanceof UploadedFile)) throw this.error("invalid");
    if (value.name === "") throw this.error("invalid");
    if (this.maxLength !== undefined && [...value.name].length > this.maxLength) {
      throw this.error("max_length", { max: this.maxLength, length: [...value.name].length });
    }
    if (value.size === 0 && !this.allowEmptyFile) throw this.error("empty");
    return value;
  }

  override validate(value: UploadedFile | null): void {
    super.validate(value);
    if (value === null) return;
    if (this.maxSize !== undefined && value.size > this.maxSize) throw this.error("max_size", { max: this.maxSize, size: value.size });
    if (this.allowedExtensions !== undefined) {
      const dot = value.name.lastIndexOf(".");
      const extension = dot === -1 ? "" : value.name.slice(dot + 1).toLowerCase();
      if (!this.allowedExtensions.includes(extension)) {
        throw this.error("invalid_extension", { extension, allowed_extensions: this.allowedExtensions.join(", ") });
      }
    }
    if (this.allowedContentTypes !== undefined) {
      const type = value.contentType.toLowerCase();
      const ok = this.allowedContentTypes.some((allowed) =>
        allowed.endsWith("/*") ? type.startsWith(allowed.slice(0, -1).toLowerCase()) : type === allowed.toLowerCase(),
      );
      if (!ok) throw this.error("invalid_content_type", { content_type: value.contentType });
    }
  }

  override boundData(data: unknown, initial: unknown): unknown {
    return this.disabled || data === undefined || data === null ? initial : data;
  }

  override hasChanged(_initial: unknown, data: unknown): boolean {
    return !this.disabled && data !== undefined && data !== null;
  }
}

/** Image formats {@link ImageField} recognises by their first bytes. */
export type ImageFormat = "png" | "jpeg" | "gif" | "webp" | "bmp";

/**
 * The image format of some bytes by their signature, or undefined.
 *
 * @example
 * sniffImageFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])); // "png"
 */
export function sniffImageFormat(head: Uint8Array): ImageFormat | undefined {
  const starts = (...bytes: number[]): boolean => bytes.every((byte, i) => head[i] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (starts(0xff, 0xd8, 0xff)) return "jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38) && (head[4] === 0x37 || head[4] === 0x39) && head[5] === 0x61) return "gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && head[8] === 0x57 && head[9] === 0x45 && head[10] === 0x42 && head[11] === 0x50) return "webp";
  if (starts(0x42, 0x4d)) return "bmp";
  return undefined;
}

/**
 * An uploaded image (Django's `ImageField`): a {@link FileField} whose contents must start
 * with a PNG, JPEG, GIF, WebP or BMP signature (`allowedFormats` narrows the list). The
 * bytes are checked, not the name or the declared type, which the client chooses. Unlike
 * Django (Pillow), the whole image is not decoded.
 *
 * @example
 * new ImageField({ maxSize: 2_000_000, allowedFormats: ["png", "jpeg"] })
 */
export class ImageField<R extends boolean = true> extends FileField<R> {
  readonly allowedFormats: readonly ImageFormat[];

  constructor(options: FileFieldOptions<R> & { allowedFormats?: readonly ImageFormat[] } = {}) {
    super(options);
    this.allowedFormats = options.allowedFormats ?? ["png", "jpeg", "gif", "webp", "bmp"];
    if (this.widget instanceof FileInput && this.widget.attrs.accept === undefined) this.widget.attrs.accept = "image/*";
  }

  protected override defaultErrorMessages(): Record<string, string> {
    return {
      ...super.defaultErrorMessages(),
      invalid_image: "Upload a valid image. The file you uploaded was either not an image or a corrupted image.",
    };
  }

  override toPython(value: unknown): UploadedFile | null {
    const file = super.toPython(value);
    if (file === null) return null;
    const format = sniffImageFormat(file.readHeadSync(16));
    if (format === undefined || !this.allowedFormats.includes(format)) throw this.error("invalid_image");
    return file;
  }
}
