import { getToken as getTokenFor } from "../csrf/state.js";
import { escapeHtml } from "../debug/html.js";
import { ErrorList } from "./errorList.js";
import type { Form, FormInput, FormOptions } from "./form.js";
import { QueryDict } from "../http/queryDict.js";
import { SafeHtml } from "./safeHtml.js";
import type { FormDataSource } from "./widgets/widget.js";

/** Options of {@link formsetFactory} (Django's `formset_factory` arguments). */
export interface FormsetOptions {
  /** Empty forms shown after the initial ones (default 1). */
  extra?: number;
  /** Most forms accepted (default 1000, Django's absolute maximum). */
  maxNum?: number;
  minNum?: number;
  validateMax?: boolean;
  validateMin?: boolean;
  /** Adds a DELETE checkbox to each form. */
  canDelete?: boolean;
}

type FormClass<F extends Form> = new (data?: FormInput | null, options?: FormOptions) => F;

/**
 * Several copies of a form in one `<form>` (Django's formsets): forms named `<prefix>-<n>-<field>`
 * plus the management fields `<prefix>-TOTAL_FORMS`, `-INITIAL_FORMS`, `-MIN_NUM_FORMS`,
 * `-MAX_NUM_FORMS`. Extra forms left empty are valid; a missing or tampered management form is an error.
 *
 * @example
 * const ArticleFormSet = formsetFactory(ArticleForm, { extra: 2, canDelete: true });
 * const formset = new ArticleFormSet(await request.POST());
 * if (await formset.isValid()) for (const data of formset.cleanedData) ...;
 */
export class BaseFormSet<F extends Form = Form> extends SafeHtml implements Iterable<F> {
  readonly forms: F[] = [];
  readonly isBound: boolean;
  readonly prefix: string;
  readonly #data: FormDataSource;
  readonly #nonFormErrors = new ErrorList([], "nonform");
  #valid: Promise<boolean> | undefined;

  constructor(
    readonly formClass: FormClass<F>,
    readonly settings: Required<FormsetOptions>,
    data?: FormInput | null,
    readonly options: { initial?: readonly Record<string, unknown>[]; prefix?: string; request?: FormOptions["request"] } = {},
  ) {
    super();
    this.isBound = data !== undefined && data !== null;
    this.prefix = options.prefix ?? "form";
    this.#data = data === undefined || data === null ? QueryDict.fromKeys({}) : typeof (data as FormDataSource).getList === "function" ? (data as FormDataSource) : QueryDict.fromKeys(Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)])));
    const initial = options.initial ?? [];
    let total: number;
    if (this.isBound) {
      const raw = this.#data.get(`${this.prefix}-TOTAL_FORMS`);
      const parsed = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (Number.isNaN(parsed) || this.#data.get(`${this.prefix}-INITIAL_FORMS`) === undefined) {
        this.#nonFormErrors.details.push({ message: `ManagementForm data is missing or has been tampered with. Missing fields: ${this.prefix}-TOTAL_FORMS, ${this.prefix}-INITIAL_FORMS. You may need to file a bug report if the issue persists.`, code: "missing_management_form" });
        total = 0;
      } else {
        // Never build more forms than the absolute maximum, whatever the client claims.
        total = Math.min(parsed, this.settings.maxNum + 1000);
      }
    } else {
      total = Math.min(initial.length + this.settings.extra, Math.max(this.settings.maxNum, initial.length)) || Math.max(this.settings.minNum, 0);
      total = Math.max(total, this.settings.minNum);
    }
    for (let i = 0; i < total; i++) {
      const form = new formClass(this.isBound ? this.#data : null, {
        prefix: `${this.prefix}-${i}`,
        ...(initial[i] !== undefined && { initial: initial[i] }),
        emptyPermitted: i >= initial.length && i >= this.settings.minNum,
        useRequiredAttribute: false,
        csrf: false,
      });
      this.forms.push(form);
    }
  }

  [Symbol.iterator](): Iterator<F> {
    return this.forms[Symbol.iterator]();
  }

  get initialFormCount(): number {
    if (this.isBound) return Number(this.#data.get(`${this.prefix}-INITIAL_FORMS`) ?? 0);
    return this.options.initial?.length ?? 0;
  }

  /** Errors of the set as a whole (counts, management form). */
  nonFormErrors(): ErrorList {
    return this.#nonFormErrors;
  }

  /** Whether a form's DELETE box is ticked. */
  shouldDelete(form: F): boolean {
    return this.settings.canDelete && ["on", "true", "1"].includes(String(this.#data.get(form.addPrefix("DELETE")) ?? "").toLowerCase());
  }

  get deletedForms(): F[] {
    return this.forms.filter((form) => this.shouldDelete(form));
  }

  /** Validates every form and the counts; true when all pass. */
  isValid(): Promise<boolean> {
    this.#valid ??= (async () => {
      if (!this.isBound) return false;
      let ok = this.#nonFormErrors.size === 0;
      for (const form of this.forms) {
        if (this.shouldDelete(form)) continue;
        if (!(await form.isValid()) && !(form.emptyPermitted && !form.hasChanged())) ok = false;
      }
      const filled = this.forms.filter((form) => !this.shouldDelete(form) && (form.hasChanged() || !form.emptyPermitted)).length;
      if (this.settings.validateMax && filled > this.settings.maxNum) {
        this.#nonFormErrors.details.push({ message: `Please submit at most ${this.settings.maxNum} form${this.settings.maxNum === 1 ? "" : "s"}.`, code: "too_many_forms" });
        ok = false;
      }
      if (this.settings.validateMin && filled < this.settings.minNum) {
        this.#nonFormErrors.details.push({ message: `Please submit at least ${this.settings.minNum} form${this.settings.minNum === 1 ? "" : "s"}.`, code: "too_few_forms" });
        ok = false;
      }
      return ok;
    })();
    return this.#valid;
  }

  /** Each form's errors (`toJSON()` of each). */
  get errors(): Record<string, unknown>[] {
    return this.forms.map((form) => form.errors.toJSON());
  }

  /** The cleaned data of the forms that were filled in and not deleted. */
  get cleanedData(): Record<string, unknown>[] {
    return this.forms.filter((form) => !this.shouldDelete(form) && (form.hasChanged() || !form.emptyPermitted)).map((form) => form.cleanedData as Record<string, unknown>);
  }

  /** The hidden management fields. */
  managementForm(): string {
    const field = (name: string, value: number) => `<input type="hidden" name="${escapeHtml(`${this.prefix}-${name}`)}" value="${value}" id="id_${escapeHtml(`${this.prefix}-${name}`)}">`;
    return field("TOTAL_FORMS", this.forms.length) + field("INITIAL_FORMS", this.initialFormCount) + field("MIN_NUM_FORMS", this.settings.minNum) + field("MAX_NUM_FORMS", this.settings.maxNum);
  }

  toHtml(): string {
    const forms = this.forms.map((form) => {
      const del = this.settings.canDelete ? `<div><label for="id_${escapeHtml(form.addPrefix("DELETE"))}">Delete:</label><input type="checkbox" name="${escapeHtml(form.addPrefix("DELETE"))}" id="id_${escapeHtml(form.addPrefix("DELETE"))}"></div>` : "";
      return form.toHtml() + del;
    });
    const csrf = this.options.request === undefined ? "" : `<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(getTokenFor(this.options.request))}">`;
    return `${this.#nonFormErrors.toHtml()}${this.managementForm()}${forms.join("\n")}${csrf}`;
  }
}


/**
 * A formset class for `formClass` (Django's `formset_factory`).
 *
 * @example
 * const ChoiceFormSet = formsetFactory(ChoiceForm, { extra: 3 });
 */
export function formsetFactory<F extends Form>(formClass: FormClass<F>, options: FormsetOptions = {}) {
  const settings: Required<FormsetOptions> = {
    extra: options.extra ?? 1,
    maxNum: options.maxNum ?? 1000,
    minNum: options.minNum ?? 0,
    validateMax: options.validateMax ?? false,
    validateMin: options.validateMin ?? false,
    canDelete: options.canDelete ?? false,
  };
  return class FormSet extends BaseFormSet<F> {
    constructor(data?: FormInput | null, formsetOptions: { initial?: readonly Record<string, unknown>[]; prefix?: string; request?: FormOptions["request"] } = {}) {
      super(formClass, settings, data, formsetOptions);
    }
  };
}
