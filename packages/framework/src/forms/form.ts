import { getToken } from "../csrf/state.js";
import { escapeHtml } from "../debug/html.js";
import type { UploadedFile } from "../http/body/uploadedFile.js";
import { MultiValueDict } from "../http/multiValueDict.js";
import { QueryDict } from "../http/queryDict.js";
import type { HttpRequest } from "../http/request.js";
import { BoundField, type FieldHost } from "./boundField.js";
import { ErrorDict, ErrorList } from "./errorList.js";
import type { Field, FieldValue } from "./fields/field.js";
import { renderFormTemplate } from "./renderer.js";
import { markSafe, SafeHtml } from "./safeHtml.js";
import { ValidationError } from "./validationError.js";
import type { FilesSource, FormDataSource } from "./widgets/widget.js";

/** Any field, whatever it cleans to. */
export type AnyField = Field<unknown, unknown, boolean>;
/** A form's fields by name. */
export type FieldMap = Record<string, AnyField>;
/** `cleanedData`, typed from the fields: `{ email: string; age: number | null; ... }`. */
export type CleanedData<F extends FieldMap> = { -readonly [K in keyof F]: FieldValue<F[K]> };

/** The key of the form's own errors (Django's `NON_FIELD_ERRORS`). */
export const NON_FIELD_ERRORS = "__all__";

/** Submitted data: a QueryDict (`await request.POST()`), or a plain object for tests and JSON. */
export type FormInput = FormDataSource | Readonly<Record<string, string | number | boolean | readonly string[] | null | undefined>>;
/** Uploaded files: `await request.FILES()`, or a plain object. */
export type FilesInput = FilesSource | Readonly<Record<string, UploadedFile | undefined>>;

/** Options of a form. */
export interface FormOptions {
  files?: FilesInput;
  /** Values shown by an unbound form, by field name (over each field's own `initial`). */
  initial?: Readonly<Record<string, unknown>>;
  /** Puts `<prefix>-` before each field's name, for several forms in one `<form>`. */
  prefix?: string;
  /** Pattern of the ids (`id_%s`, the default), or false for none. */
  autoId?: string | false;
  labelSuffix?: string;
  /** An untouched form is valid (the extra forms of a formset). */
  emptyPermitted?: boolean;
  useRequiredAttribute?: boolean;
  /** The request: the rendered form then includes the CSRF token. */
  request?: HttpRequest;
  /** Include the CSRF token when a request is given (default true). */
  csrf?: boolean;
}

function isDataSource(value: unknown): value is FormDataSource {
  return typeof value === "object" && value !== null && typeof (value as Partial<FormDataSource>).getList === "function";
}

function toDataSource(data: FormInput): FormDataSource {
  if (isDataSource(data)) return data;
  const entries: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || value === null) continue;
    entries[key] = Array.isArray(value) ? value.map(String) : [String(value)];
  }
  return QueryDict.fromKeys(entries);
}

function toFilesSource(files: FilesInput | undefined): FilesSource {
  if (files === undefined) return new MultiValueDict<UploadedFile>();
  if (typeof (files as Partial<FilesSource>).getList === "function") return files as FilesSource;
  const entries: [string, UploadedFile][] = [];
  for (const [key, value] of Object.entries(files as Readonly<Record<string, UploadedFile | undefined>>)) if (value !== undefined) entries.push([key, value]);
  return new MultiValueDict(entries);
}

/** `first_name` / `firstName` -> `cleanFirstName`. */
function hookName(field: string): string {
  const camel = field.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
  return `clean${camel.charAt(0).toUpperCase()}${camel.slice(1)}`;
}

/**
 * A form (Django's `forms.Form`): declare the fields once, bind the submission, validate,
 * read the typed `cleanedData`, or print it in a template (`{{ form }}`) with labels,
 * errors, help text, the submitted values (never passwords) and the CSRF token.
 *
 * Validation is asynchronous (`await form.isValid()`), because `cleanX` and `clean`
 * hooks often need the database. Per-field hooks are methods named `clean` + the field
 * name (`cleanEmail(value)`), returning the value to keep; `clean()` checks the form as
 * a whole. Either may throw {@link ValidationError} or call `addError`.
 *
 * @example
 * class ContactForm extends Form.define({
 *   subject: new CharField({ maxLength: 100 }),
 *   email: new EmailField(),
 *   ccMyself: new BooleanField({ required: false }),
 * }) {
 *   cleanSubject(value: string) {
 *     if (value.includes("spam")) throw new ValidationError("No spam.");
 *     return value;
 *   }
 * }
 * const form = await ContactForm.fromRequest(request);
 * if (request.method === "POST" && (await form.isValid())) send(form.cleanedData.email);
 * return render(request, "contact.html", { form });
 */
export class Form<F extends FieldMap = FieldMap> extends SafeHtml implements FieldHost, Iterable<BoundField> {
  /** The fields every instance starts with; set by {@link Form.define} or a subclass. */
  static declaredFields: FieldMap = {};
  /** This instance's fields (copies: change them freely, e.g. a ChoiceField's choices). */
  readonly fields: F;
  readonly data: FormDataSource;
  readonly files: FilesSource;
  readonly isBound: boolean;
  readonly initial: Readonly<Record<string, unknown>>;
  readonly prefix: string | undefined;
  readonly autoId: string | false;
  readonly labelSuffix: string;
  readonly emptyPermitted: boolean;
  readonly useRequiredAttribute: boolean;
  readonly request: HttpRequest | undefined;
  readonly csrf: boolean;
  /** Template of `{{ form }}` (Django 5's default, `div.html`). */
  templateName = "django/forms/div.html";
  errorCssClass = "error";
  requiredCssClass = "required";
  /** Typed from the fields; complete once `isValid()` resolved true. */
  cleanedData = {} as CleanedData<F>;
  #errors: ErrorDict | undefined;
  #validating: Promise<boolean> | undefined;
  readonly #bound = new Map<string, BoundField>();

  /**
   * A form class with these fields (Django's class body of field attributes).
   *
   * @example
   * const LoginForm = Form.define({ username: new CharField(), password: new CharField({ widget: new PasswordInput() }) });
   */
  static define<D extends FieldMap>(fields: D): Omit<typeof Form, "prototype"> & (new (data?: FormInput | null, options?: FormOptions) => Form<D>) {
    return class extends Form<D> {
      static override declaredFields: FieldMap = fields;
    };
  }

  /**
   * A form bound to the request's submission when it is a POST (with the uploaded files),
   * unbound otherwise; it renders the request's CSRF token.
   *
   * @example
   * const form = await SignupForm.fromRequest(request);
   */
  static async fromRequest<T extends Form, O extends FormOptions = FormOptions>(
    this: new (data?: FormInput | null, options?: O) => T,
    request: HttpRequest,
    options?: O,
  ): Promise<T> {
    let form: T;
    if (request.method !== "POST") {
      form = new this(null, { request, ...options } as O);
    } else {
      const { POST, FILES } = await request.load();
      form = new this(POST, { request, files: FILES, ...options } as O);
    }
    return form.prepare();
  }

  constructor(data?: FormInput | null, options: FormOptions = {}) {
    super();
    this.isBound = data !== undefined && data !== null || options.files !== undefined;
    this.data = toDataSource(data ?? {});
    this.files = toFilesSource(options.files);
    this.initial = options.initial ?? {};
    this.prefix = options.prefix;
    this.autoId = options.autoId ?? "id_%s";
    this.labelSuffix = options.labelSuffix ?? ":";
    this.emptyPermitted = options.emptyPermitted ?? false;
    this.useRequiredAttribute = options.useRequiredAttribute ?? true;
    this.request = options.request;
    this.csrf = options.csrf ?? true;
    const declared = new.target.declaredFields;
    const fields: FieldMap = {};
    for (const [name, field] of Object.entries(declared)) fields[name] = field.clone();
    this.fields = fields as F;
    // `{{ form.email }}` in templates, as Django's form["email"]; API names win.
    for (const name of Object.keys(fields)) {
      if (!(name in this)) Object.defineProperty(this, name, { get: () => this.get(name), enumerable: false, configurable: true });
    }
  }

  /** Loads what rendering and validation need from elsewhere (a ModelForm's foreign-key choices); `fromRequest` calls it. */
  async prepare(): Promise<this> {
    return this;
  }

  /** `prefix-name`, or the name. */
  addPrefix(name: string): string {
    return this.prefix ? `${this.prefix}-${name}` : name;
  }

  /** The bound field `name`; throws naming the fields when there is none. */
  get(name: keyof F & string): BoundField;
  get(name: string): BoundField;
  get(name: string): BoundField {
    let bound = this.#bound.get(name);
    if (bound === undefined) {
      const field = this.fields[name];
      if (field === undefined) throw new Error(`Key '${name}' not found in ${this.constructor.name}. Choices are: ${Object.keys(this.fields).join(", ")}.`);
      bound = new BoundField(this, field, name);
      this.#bound.set(name, bound);
    }
    return bound;
  }

  *[Symbol.iterator](): Iterator<BoundField> {
    for (const name of Object.keys(this.fields)) yield this.get(name);
  }

  hiddenFields(): BoundField[] {
    return [...this].filter((field) => field.isHidden);
  }

  visibleFields(): BoundField[] {
    return [...this].filter((field) => !field.isHidden);
  }

  /** The initial value of a field: the form's `initial`, else the field's (a function is called). */
  initialFor(name: string): unknown {
    const value = name in this.initial ? this.initial[name] : this.fields[name]?.initial;
    return typeof value === "function" ? (value as () => unknown)() : value;
  }

  /** The submitted value of a field, as its widget reads it. */
  rawValue(name: string): unknown {
    const field = this.fields[name];
    if (field === undefined) return undefined;
    return field.widget.valueFromDatadict(this.data, this.files, this.addPrefix(name));
  }

  /** The errors so far: empty until `isValid()` has run (Django validates on first access; here validation is async). */
  get errors(): ErrorDict {
    this.#errors ??= new ErrorDict();
    return this.#errors;
  }

  fieldErrors(name: string): ErrorList | undefined {
    return this.#errors?.get(name);
  }

  /** The form's own errors (from `clean()`), an empty list when none. */
  nonFieldErrors(): ErrorList {
    return this.errors.get(NON_FIELD_ERRORS) ?? new ErrorList([], "nonfield");
  }

  /**
   * Validates once (later calls reuse the result): true when bound and without errors.
   *
   * @example
   * if (await form.isValid()) await save(form.cleanedData);
   */
  isValid(): Promise<boolean> {
    this.#validating ??= this.fullClean().then(() => this.isBound && this.errors.size === 0);
    return this.#validating;
  }

  /** Runs every check and fills `errors` and `cleanedData` (Django's `full_clean`). */
  async fullClean(): Promise<void> {
    this.#errors = new ErrorDict();
    this.cleanedData = {} as CleanedData<F>;
    if (!this.isBound) return;
    if (this.emptyPermitted && !this.hasChanged()) return;
    await this.cleanFields();
    await this.cleanForm();
    await this.postClean();
  }

  /** Cleans each field, then calls its `cleanX` hook. */
  protected async cleanFields(): Promise<void> {
    const data: Record<string, unknown> = this.cleanedData;
    for (const [name, field] of Object.entries(this.fields)) {
      const value = field.disabled ? this.initialFor(name) : this.rawValue(name);
      try {
        data[name] = field.clean(value);
        const hook: unknown = Reflect.get(this, hookName(name));
        if (typeof hook === "function") {
          const result: unknown = await hook.call(this, data[name]);
          if (result !== undefined) data[name] = result;
        }
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        this.addError(name, error);
      }
    }
  }

  protected async cleanForm(): Promise<void> {
    try {
      const result = await this.clean();
      if (result !== undefined && result !== null) this.cleanedData = result;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      this.addError(null, error);
    }
  }

  /**
   * Form-wide checks after every field is clean (Django's `clean()`): read and change
   * `this.cleanedData`, throw {@link ValidationError} or call `addError`.
   */
  clean(): CleanedData<F> | void | Promise<CleanedData<F> | void> {
    return undefined;
  }

  /** After `clean()` (ModelForm validates its instance here). */
  protected async postClean(): Promise<void> {}

  /**
   * Adds an error to a field (or, with null, to the form) and drops the field from
   * `cleanedData`. A ValidationError built from a mapping spreads over its fields.
   *
   * @example
   * this.addError("email", "Already registered.");
   */
  addError(field: (keyof F & string) | string | null, error: string | ValidationError): void {
    const validation = typeof error === "string" ? new ValidationError(error) : error;
    if (validation.errorDict !== undefined) {
      if (field !== null) throw new TypeError("addError(field, error): when error is a ValidationError built from a mapping, field must be null.");
      for (const [name, details] of Object.entries(validation.errorDict)) this.addError(name, new ValidationError(details.map((d) => new ValidationError(d.message, d.code === undefined ? {} : { code: d.code }))));
      return;
    }
    const key = field ?? NON_FIELD_ERRORS;
    if (key !== NON_FIELD_ERRORS && !(key in this.fields)) {
      throw new Error(`${this.constructor.name} has no field named '${key}'.`);
    }
    this.errors.listFor(key, key === NON_FIELD_ERRORS ? "nonfield" : "").details.push(...validation.errorList);
    const data: Record<string, unknown> = this.cleanedData;
    if (key in data) delete data[key];
  }

  /** Whether `field` has an error (with `code`, when given). */
  hasError(field: string | null, code?: string): boolean {
    return this.errors.get(field ?? NON_FIELD_ERRORS)?.hasCode(code) ?? false;
  }

  /** Names of the fields whose submitted value differs from the initial one. */
  get changedData(): string[] {
    return Object.entries(this.fields)
      .filter(([name, field]) => field.hasChanged(this.initialFor(name), field.disabled ? this.initialFor(name) : this.rawValue(name)))
      .map(([name]) => name);
  }

  hasChanged(): boolean {
    return this.changedData.length > 0;
  }

  /** Whether the `<form>` needs `enctype="multipart/form-data"`. */
  isMultipart(): boolean {
    return Object.values(this.fields).some((field) => field.widget.needsMultipartForm);
  }

  /** The variables the form's template gets. */
  getContext(): Record<string, unknown> {
    const hiddenErrors: ErrorList = new ErrorList([...this.nonFieldErrors().details], "nonfield");
    for (const field of this.hiddenFields()) {
      for (const detail of field.errors.details) hiddenErrors.details.push({ ...detail, message: `(Hidden field ${field.name}) ${detail.message}` });
    }
    const withToken = this.csrf && this.request !== undefined;
    return {
      form: this,
      fields: this.visibleFields(),
      hidden_fields: this.hiddenFields(),
      errors: hiddenErrors,
      csrf_input: withToken ? markSafe(`<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(getToken(this.request as HttpRequest))}">`) : "",
    };
  }

  /** The form's HTML through `templateName` (or another template). */
  render(templateName: string = this.templateName): SafeHtml {
    return markSafe(renderFormTemplate(templateName, this.getContext()).trim());
  }

  asDiv(): SafeHtml {
    return this.render("django/forms/div.html");
  }

  asP(): SafeHtml {
    return this.render("django/forms/p.html");
  }

  asTable(): SafeHtml {
    return this.render("django/forms/table.html");
  }

  asUl(): SafeHtml {
    return this.render("django/forms/ul.html");
  }

  toHtml(): string {
    return this.render().toHtml();
  }
}
