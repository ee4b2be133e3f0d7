import { FrameworkError } from "../exceptions.js";

/** One error message with Django's `code` and `params` (`%(limit)s` placeholders). */
export interface ErrorDetail {
  message: string;
  code: string | undefined;
}

type ErrorInput = string | ValidationError | readonly (string | ValidationError)[];

/** Replaces Django's `%(name)s` / `%(name)d` placeholders with `params`. */
export function interpolate(message: string, params: Readonly<Record<string, unknown>> | undefined): string {
  if (params === undefined) return message;
  return message.replace(/%\((\w+)\)[sdr]/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

/**
 * Invalid input (Django's `ValidationError`): one message (with an optional `code` and
 * `params`), a list of them, or a mapping of field name to messages. Thrown by field
 * validators, `cleanX` hooks and `clean()`; the form turns it into `form.errors`.
 *
 * @example
 * throw new ValidationError("Ensure this value is at most %(limit)s.", { code: "max_value", params: { limit: 10 } });
 * throw new ValidationError({ email: "Already registered.", password: ["Too short."] });
 */
export class ValidationError extends FrameworkError {
  readonly code: string | undefined;
  readonly params: Readonly<Record<string, unknown>> | undefined;
  /** Set when built from a mapping: the messages by field name. */
  readonly errorDict: Readonly<Record<string, ErrorDetail[]>> | undefined;
  /** Every message (for a mapping, all fields' messages in order). */
  readonly errorList: readonly ErrorDetail[];

  constructor(
    messages: ErrorInput | Readonly<Record<string, ErrorInput>>,
    options: { code?: string; params?: Readonly<Record<string, unknown>> } = {},
  ) {
    const flatten = (input: ErrorInput): ErrorDetail[] => {
      if (typeof input === "string") return [{ message: interpolate(input, options.params), code: options.code }];
      if (input instanceof ValidationError) return [...input.errorList];
      return input.flatMap((item) => flatten(item));
    };
    let list: ErrorDetail[];
    let dict: Record<string, ErrorDetail[]> | undefined;
    if (typeof messages === "string" || messages instanceof ValidationError || Array.isArray(messages)) {
      list = flatten(messages as ErrorInput);
    } else {
      dict = {};
      for (const [field, input] of Object.entries(messages as Readonly<Record<string, ErrorInput>>)) dict[field] = flatten(input);
      list = Object.values(dict).flat();
    }
    super(list.map((detail) => detail.message).join(" ") || "Invalid value.");
    this.code = options.code ?? (list.length === 1 ? list[0]?.code : undefined);
    this.params = options.params;
    this.errorList = list;
    this.errorDict = dict;
  }

  /** The messages as text. @example new ValidationError(["a", "b"]).messages; // ["a", "b"] */
  get messages(): string[] {
    return this.errorList.map((detail) => detail.message);
  }
}
