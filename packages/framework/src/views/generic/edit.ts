import { IntegrityError } from "../../db/errors.js";
import { ForeignKeyField } from "../../db/fields/relations.js";
import { setAttr } from "../../db/model/attributes.js";
import type { ModelInstance } from "../../db/model/instance.js";
import { ImproperlyConfigured } from "../../exceptions.js";
import type { HttpRequest } from "../../http/request.js";
import { HttpResponseRedirect } from "../../http/response/redirect.js";
import type { HttpResponseBase } from "../../http/response/base.js";
import { TemplateResponse } from "../../templates/templateResponse.js";
import { SingleObjectView } from "./detail.js";

/** A form class the edit views can use (the framework's `Form`, or any with the same shape). */
export interface EditForm {
  isValid(): Promise<boolean>;
  readonly cleanedData: Readonly<Record<string, unknown>>;
}
/** Builds a form from the submitted data (and the object being edited, for UpdateView). */
export type EditFormClass = new (data?: never, options?: never) => EditForm;

/** Errors of a plain (form-less) submission, by field name; `__all__` for the database's. */
export type FieldErrors = Record<string, string[]>;

/**
 * Creating or updating an object from a POST (Django's `ModelFormMixin`): with `formClass`,
 * the form validates and its `cleanedData` is saved; without one, the listed `fields` are read
 * from the POST, converted by their model field (numbers, booleans, dates, foreign key ids) and
 * required ones checked. Invalid input re-renders the template (`<model>_form.html`) with
 * `errors` (or `form`); success redirects to `successUrl`.
 */
export class ModelEditView extends SingleObjectView {
  fields: readonly string[] | undefined;
  formClass: EditFormClass | undefined;
  successUrl: string | ((object: ModelInstance) => string) | undefined;
  override templateNameSuffix = "_form";

  getSuccessUrl(object: ModelInstance): string {
    if (this.successUrl === undefined) throw new ImproperlyConfigured(`No URL to redirect to: give ${this.constructor.name} a successUrl.`);
    return typeof this.successUrl === "function" ? this.successUrl(object) : this.successUrl;
  }

  /** Reads and converts the listed fields; errors by field. */
  async valuesFromPost(request: HttpRequest): Promise<{ values: Record<string, unknown>; errors: FieldErrors }> {
    if (this.fields === undefined) throw new ImproperlyConfigured(`${this.constructor.name} needs fields (the model fields to read from the POST) or a formClass.`);
    const model = this.model ?? this.getQueryset().model;
    const data = await request.POST();
    const values: Record<string, unknown> = {};
    const errors: FieldErrors = {};
    for (const name of this.fields) {
      const field = model.meta.getField(name);
      const raw = data.get(name)?.trim() ?? "";
      const required = !field.nullable && field.options.blank !== true && field.options.default === undefined && field.kind !== "boolean";
      if (raw === "") {
        if (required) errors[name] = ["This field is required."];
        else values[field.attname] = field.kind === "boolean" ? false : field.nullable ? null : field.kind === "char" || field.kind === "text" ? "" : field.defaultValue();
        continue;
      }
      const key = field instanceof ForeignKeyField ? field.attname : name;
      switch (field.kind) {
        case "integer":
        case "bigint":
        case "float":
        case "foreignKey": {
          const number = Number(raw);
          if (Number.isNaN(number) || ((field.kind !== "float") && !Number.isInteger(number))) errors[name] = [`Enter a ${field.kind === "float" ? "number" : "whole number"}.`];
          else values[key] = number;
          break;
        }
        case "boolean":
          values[key] = ["on", "true", "1", "yes"].includes(raw.toLowerCase());
          break;
        case "datetime": {
          const date = new Date(raw);
          if (Number.isNaN(date.getTime())) errors[name] = ["Enter a valid date/time."];
          else values[key] = date;
          break;
        }
        default:
          if (field.options.maxLength !== undefined && raw.length > field.options.maxLength) errors[name] = [`Ensure this value has at most ${field.options.maxLength} characters (it has ${raw.length}).`];
          else values[key] = raw;
      }
    }
    return { values, errors };
  }

  /** Saves `values` onto `object` (UpdateView) or a new instance (CreateView). */
  async saveValues(values: Record<string, unknown>): Promise<ModelInstance> {
    const model = this.model ?? this.getQueryset().model;
    const object = this.object ?? model.build({});
    for (const [key, value] of Object.entries(values)) setAttr(object, model.meta.getField(key).attname, value);
    await object.save();
    return object;
  }

  async get(request: HttpRequest): Promise<TemplateResponse> {
    return new TemplateResponse(request, this.getTemplateNames(), this.getContextData({ errors: {}, ...(this.formClass && { form: new this.formClass() }) }));
  }

  async post(request: HttpRequest): Promise<HttpResponseBase> {
    let values: Record<string, unknown>;
    let context: Record<string, unknown>;
    if (this.formClass !== undefined) {
      const form = new this.formClass((await request.POST()) as never);
      if (!(await form.isValid())) return new TemplateResponse(request, this.getTemplateNames(), this.getContextData({ form, errors: {} }));
      values = { ...form.cleanedData };
      context = { form };
    } else {
      const read = await this.valuesFromPost(request);
      if (Object.keys(read.errors).length > 0) return new TemplateResponse(request, this.getTemplateNames(), this.getContextData({ errors: read.errors, values: read.values }));
      values = read.values;
      context = { values };
    }
    try {
      this.object = await this.saveValues(values);
    } catch (error) {
      if (!(error instanceof IntegrityError)) throw error;
      return new TemplateResponse(request, this.getTemplateNames(), this.getContextData({ ...context, errors: { __all__: [error.message] } }));
    }
    return new HttpResponseRedirect(this.getSuccessUrl(this.object));
  }
}

/**
 * A page that creates an object (Django's `CreateView`).
 *
 * @example
 * export class QuestionCreate extends CreateView { override model = Question; override fields = ["questionText", "pubDate"]; override successUrl = "/polls/"; }
 */
export class CreateView extends ModelEditView {
  override async get(request: HttpRequest): Promise<TemplateResponse> {
    this.object = undefined;
    return super.get(request);
  }

  override async post(request: HttpRequest): Promise<HttpResponseBase> {
    this.object = undefined;
    return super.post(request);
  }
}

/**
 * A page that edits the object named by the URL (Django's `UpdateView`); 404 when it does not exist.
 *
 * @example
 * path("<int:pk>/edit/", QuestionUpdate.asView(), { name: "edit" })
 */
export class UpdateView extends ModelEditView {
  override async get(request: HttpRequest): Promise<TemplateResponse> {
    this.object = await this.getObject();
    return super.get(request);
  }

  override async post(request: HttpRequest): Promise<HttpResponseBase> {
    this.object = await this.getObject();
    return super.post(request);
  }
}

/**
 * Asks to confirm (GET, `<model>_confirm_delete.html`) and deletes (POST) the object named by the URL (Django's `DeleteView`).
 *
 * @example
 * export class QuestionDelete extends DeleteView { override model = Question; override successUrl = "/polls/"; }
 */
export class DeleteView extends SingleObjectView {
  override templateNameSuffix = "_confirm_delete";
  successUrl: string | undefined;

  async get(request: HttpRequest): Promise<TemplateResponse> {
    this.object = await this.getObject();
    return new TemplateResponse(request, this.getTemplateNames(), this.getContextData());
  }

  async post(): Promise<HttpResponseBase> {
    this.object = await this.getObject();
    if (this.successUrl === undefined) throw new ImproperlyConfigured(`No URL to redirect to: give ${this.constructor.name} a successUrl.`);
    await this.object.delete();
    return new HttpResponseRedirect(this.successUrl);
  }
}
