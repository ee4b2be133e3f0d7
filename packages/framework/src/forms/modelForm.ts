import { ObjectDoesNotExist } from "../db/errors.js";
import type { Field as ModelField } from "../db/fields/field.js";
import { ForeignKeyField } from "../db/fields/relations.js";
import type { ModelInstance } from "../db/model/instance.js";
import type { AnyModel } from "../db/model/types.js";
import { BooleanField } from "./fields/boolean.js";
import { ChoiceField } from "./fields/choice.js";
import { DateField, DateTimeField } from "./fields/date.js";
import type { FieldOptions } from "./fields/field.js";
import { DecimalField, FloatField, IntegerField } from "./fields/number.js";
import { CharField, TextField, UUIDField } from "./fields/text.js";
import { Form, type AnyField, type FieldMap, type FormInput, type FormOptions } from "./form.js";
import { formatDate } from "./widgets/input.js";
import type { Widget } from "./widgets/widget.js";

/** What a ModelForm is built from (Django's `class Meta`). */
export interface ModelFormMeta {
  /** The model fields to include, in order (default: every editable field). */
  fields?: readonly string[] | "__all__";
  exclude?: readonly string[];
  widgets?: Readonly<Record<string, Widget>>;
  labels?: Readonly<Record<string, string>>;
  helpTexts?: Readonly<Record<string, string>>;
  /** Form fields to use instead of the generated ones (or extra fields). */
  overrides?: Readonly<FieldMap>;
}

/** Options of a ModelForm instance. */
export interface ModelFormOptions extends FormOptions {
  /** The row to edit; without one, `save()` creates a row. */
  instance?: ModelInstance;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The form field for a model field (Django's `formfield()`), or undefined for fields forms skip. */
export function formFieldFor(field: ModelField, meta: ModelFormMeta): AnyField | undefined {
  const o = field.options;
  if (field.kind === "auto" || field.kind === "manyToMany" || o.editable === false || o.autoNow || o.autoNowAdd || field.isPrimaryKey) return undefined;
  const base: FieldOptions<boolean> = {
    required: !(o.blank ?? false) && field.kind !== "boolean",
    label: meta.labels?.[field.name] ?? capitalise(o.verboseName ?? field.name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()),
    ...(meta.helpTexts?.[field.name] ?? o.helpText ? { helpText: meta.helpTexts?.[field.name] ?? o.helpText } : {}),
    ...(meta.widgets?.[field.name] && { widget: meta.widgets[field.name] }),
    ...(o.default !== undefined && { initial: o.default }),
  };
  if (o.choices !== undefined) {
    const choices = o.choices.map(([value, label]) => [String(value), label] as const);
    return new ChoiceField({ ...base, choices: base.required ? choices : [["", "---------"], ...choices] });
  }
  switch (field.kind) {
    case "char":
      return new CharField({ ...base, ...(o.maxLength !== undefined && { maxLength: o.maxLength }) });
    case "text":
      return new TextField(base);
    case "integer":
    case "bigint":
      return new IntegerField(base);
    case "float":
      return new FloatField(base);
    case "decimal":
      return new DecimalField({ ...base, ...(o.maxDigits !== undefined && { maxDigits: o.maxDigits }), ...(o.decimalPlaces !== undefined && { decimalPlaces: o.decimalPlaces }) });
    case "boolean":
      return new BooleanField({ ...base, required: false });
    case "datetime":
      return new DateTimeField(base);
    case "date":
      return new DateField(base);
    case "uuid":
      return new UUIDField(base);
    case "foreignKey":
      return new ModelChoiceField(field as ForeignKeyField, base);
    default:
      return undefined;
  }
}

/** The related model of a foreign key, as a model with a manager. */
function targetOf(relation: ForeignKeyField): AnyModel {
  const target = relation.targetModel();
  if (!("objects" in target)) throw new TypeError(`${relation.name}: the related model has no manager.`);
  return target as AnyModel;
}

/**
 * A choice among the rows of the related model (Django's `ModelChoiceField`), for foreign
 * keys: choices are loaded by `await form.prepare()` (done by `fromRequest`), and the cleaned
 * value is the row's primary key, checked to exist when the form is validated.
 */
export class ModelChoiceField<R extends boolean = true> extends ChoiceField<string, R> {
  constructor(
    readonly relation: ForeignKeyField,
    options: FieldOptions<R>,
  ) {
    super({ ...options, choices: [] });
  }
  /** Loads the rows as choices (`toString()` of each as its label). */
  async loadChoices(): Promise<void> {
    const rows = await targetOf(this.relation).objects.toArray();
    const choices = rows.map((row) => [String(row.pk), String(row)] as const);
    this.choices = this.required ? choices : [["", "---------"], ...choices];
  }
  /** Any submitted id passes here; the form checks that the row exists. */
  override validValue(value: string): boolean {
    return this.choiceList.length === 0 || super.validValue(value);
  }
}

/**
 * A form built from a model (Django's `ModelForm`): one field per model field (or `fields`),
 * the instance's values as initial data, and `save()` creating or updating the row. Unique
 * fields are checked against the database when the form is validated.
 *
 * @example
 * export class QuestionForm extends ModelForm.forModel(Question, { fields: ["questionText", "pubDate"] }) {}
 * const form = await QuestionForm.fromRequest(request, { instance: question });
 * if (request.method === "POST" && (await form.isValid())) await form.save();
 */
export class ModelForm extends Form {
  static model: AnyModel | undefined = undefined;
  static meta: ModelFormMeta = {};
  readonly instance: ModelInstance;
  readonly model: AnyModel;

  /**
   * A ModelForm class for `model`.
   *
   * @example
   * const ChoiceForm = ModelForm.forModel(Choice, { exclude: ["votes"] });
   */
  static forModel(model: AnyModel, meta: ModelFormMeta = {}): typeof ModelForm {
    const fields: FieldMap = {};
    const wanted = meta.fields === undefined || meta.fields === "__all__" ? undefined : new Set(meta.fields);
    for (const field of model.meta.fields) {
      if (wanted !== undefined && !wanted.has(field.name)) continue;
      if (meta.exclude?.includes(field.name)) continue;
      const formField = meta.overrides?.[field.name] ?? formFieldFor(field, meta);
      if (formField !== undefined) fields[field.name] = formField;
    }
    for (const [name, field] of Object.entries(meta.overrides ?? {})) fields[name] ??= field;
    if (wanted !== undefined) {
      const missing = [...wanted].filter((name) => !(name in fields));
      if (missing.length > 0) throw new TypeError(`Unknown field(s) (${missing.join(", ")}) specified for ${model.meta.name}.`);
    }
    return class extends ModelForm {
      static override declaredFields: FieldMap = fields;
      static override model: AnyModel | undefined = model;
      static override meta: ModelFormMeta = meta;
    };
  }

  constructor(data?: FormInput | null, options: ModelFormOptions = {}) {
    const model = new.target.model;
    if (model === undefined) throw new TypeError(`${new.target.name} has no model: build it with ModelForm.forModel(Model, { fields }).`);
    const instance = options.instance ?? model.build({});
    const initial: Record<string, unknown> = {};
    if (options.instance !== undefined) {
      for (const field of model.meta.fields) {
        if (field.kind === "manyToMany") continue;
        initial[field.name] = Reflect.get(instance, field.attname);
      }
    }
    super(data, { ...options, initial: { ...initial, ...options.initial } });
    this.instance = instance;
    this.model = model;
  }

  /** Loads what rendering and validation need from the database (foreign-key choices). */
  override async prepare(): Promise<this> {
    for (const field of Object.values(this.fields)) if (field instanceof ModelChoiceField) await field.loadChoices();
    return this;
  }

  /** Checks foreign keys point at existing rows and unique fields are free (Django's `_post_clean`). */
  protected override async postClean(): Promise<void> {
    const data: Record<string, unknown> = this.cleanedData;
    for (const [name, field] of Object.entries(this.fields)) {
      if (!(name in data)) continue;
      const value = data[name];
      const modelField = this.model.meta.findField(name);
      if (field instanceof ModelChoiceField && value !== "" && value !== null) {
        try {
          await targetOf(field.relation).objects.get({ pk: value });
        } catch (error) {
          if (!(error instanceof ObjectDoesNotExist)) throw error;
          this.addError(name, field.error("invalid_choice", { value: String(value) }));
          continue;
        }
      }
      if (modelField?.options.unique && value !== "" && value !== null && value !== undefined) {
        let query = this.model.objects.filter({ [name]: value } as never);
        if (!this.instance._state.adding) query = query.exclude({ pk: this.instance.pk } as never);
        if (await query.exists()) {
          const label = capitalise(modelField.options.verboseName ?? name);
          this.addError(name, `${this.model.meta.verboseName.charAt(0).toUpperCase()}${this.model.meta.verboseName.slice(1)} with this ${label} already exists.`);
        }
      }
    }
  }

  /**
   * Copies the cleaned values onto the instance and (with `commit`, the default) saves it.
   *
   * @example
   * const question = await form.save();
   */
  async save(options: { commit?: boolean } = {}): Promise<ModelInstance> {
    if (!(await this.isValid())) {
      throw new TypeError(`The ${this.model.meta.name} could not be ${this.instance._state.adding ? "created" : "changed"} because the data didn't validate.`);
    }
    const data: Record<string, unknown> = this.cleanedData;
    for (const [name, value] of Object.entries(data)) {
      const field = this.model.meta.findField(name);
      if (field === undefined || field.kind === "manyToMany") continue;
      let stored = value;
      if (field.kind === "foreignKey") stored = value === "" ? null : /^\d+$/.test(String(value)) ? Number(value) : value;
      else if (field.kind === "date" && value instanceof Date) stored = formatDate(value);
      else if (stored === "" && field.options.null) stored = null;
      Reflect.set(this.instance, field.attname, stored);
    }
    if (options.commit ?? true) await this.instance.save();
    return this.instance;
  }
}

/**
 * Django's `modelform_factory`: the same as `ModelForm.forModel`.
 *
 * @example
 * const QuestionForm = modelFormFactory(Question, { fields: ["questionText"] });
 */
export function modelFormFactory(model: AnyModel, meta: ModelFormMeta = {}): typeof ModelForm {
  return ModelForm.forModel(model, meta);
}
