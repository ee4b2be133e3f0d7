import type { ModelInstance } from "../db/model/instance.js";
import type { AnyModel } from "../db/model/types.js";
import type { FormInput, FormOptions } from "./form.js";
import { BaseFormSet, type FormsetOptions } from "./formset.js";
import { ModelForm, type ModelFormMeta } from "./modelForm.js";

/** Options of {@link modelFormsetFactory}: the formset's and the ModelForm's (`fields`, `exclude`, ...). */
export interface ModelFormsetOptions extends FormsetOptions, ModelFormMeta {}

/** What a model formset is built from: the rows to edit (default: every row, by primary key). */
export interface ModelFormsetInit {
  queryset?: { toArray(): Promise<ModelInstance[]> };
  prefix?: string;
  request?: FormOptions["request"];
}

/**
 * A formset editing rows of a model (Django's `BaseModelFormSet`): one form per existing row
 * (in the queryset's order), then `extra` empty forms for new rows. `save()` updates the
 * changed rows, creates the filled extra forms and deletes the rows whose DELETE box is ticked.
 */
export class BaseModelFormSet extends BaseFormSet<ModelForm> {
  constructor(
    formClass: typeof ModelForm,
    settings: Required<FormsetOptions>,
    readonly instances: readonly ModelInstance[],
    data: FormInput | null | undefined,
    init: ModelFormsetInit,
  ) {
    // Each form of an existing row gets its instance, found by the form's index (its prefix ends in "-<n>").
    const RowForm = class extends formClass {
      constructor(formData?: FormInput | null, options: FormOptions = {}) {
        const index = Number(/-(\d+)$/.exec(options.prefix ?? "")?.[1] ?? Number.NaN);
        const instance = instances[index];
        super(formData, instance === undefined ? options : { ...options, instance });
      }
    };
    super(RowForm, settings, data, { initial: instances.map(() => ({})), ...(init.prefix !== undefined && { prefix: init.prefix }), ...(init.request !== undefined && { request: init.request }) });
  }

  /** Rows deleted by the last {@link save}. */
  readonly deletedObjects: ModelInstance[] = [];

  /**
   * Saves the changed and new forms and deletes the ticked rows; returns the saved instances.
   *
   * @example
   * if (await formset.isValid()) await formset.save();
   */
  async save(): Promise<ModelInstance[]> {
    if (!(await this.isValid())) throw new TypeError("The formset could not be saved because its data didn't validate: check isValid() and show formset.errors.");
    const saved: ModelInstance[] = [];
    const existing = Math.min(this.initialFormCount, this.instances.length);
    for (const [index, form] of this.forms.entries()) {
      if (this.shouldDelete(form)) {
        if (index < existing) {
          await form.instance.delete();
          this.deletedObjects.push(form.instance);
        }
        continue;
      }
      if (!form.hasChanged()) continue;
      saved.push(await form.save());
    }
    return saved;
  }
}

/**
 * A model formset class (Django's `modelformset_factory`), over {@link ModelForm.forModel}.
 * Built with `await Formset.create(data, { queryset })` since the rows are read from the database.
 *
 * @example
 * const BookFormSet = modelFormsetFactory(Book, { fields: ["title", "pages"], extra: 1, canDelete: true });
 * const formset = await BookFormSet.create(await request.POST(), { queryset: Book.objects.orderBy("title") });
 * if (await formset.isValid()) await formset.save();
 */
export function modelFormsetFactory(model: AnyModel, options: ModelFormsetOptions = {}) {
  const { extra, maxNum, minNum, validateMax, validateMin, canDelete, ...meta } = options;
  const formClass = ModelForm.forModel(model, meta);
  const settings: Required<FormsetOptions> = {
    extra: extra ?? 1,
    maxNum: maxNum ?? 1000,
    minNum: minNum ?? 0,
    validateMax: validateMax ?? false,
    validateMin: validateMin ?? false,
    canDelete: canDelete ?? false,
  };
  return class ModelFormSet extends BaseModelFormSet {
    static readonly model = model;
    static readonly formClass = formClass;

    /** Reads the rows (the queryset, or every row by primary key) and builds the formset. */
    static async create(data?: FormInput | null, init: ModelFormsetInit = {}): Promise<ModelFormSet> {
      const instances = await (init.queryset ?? model.objects.orderBy("pk")).toArray();
      const formset = new ModelFormSet(formClass, settings, instances, data, init);
      for (const form of formset.forms) await form.prepare();
      return formset;
    }
  };
}
