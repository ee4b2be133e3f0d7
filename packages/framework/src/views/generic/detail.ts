import { Http404, ImproperlyConfigured } from "../../exceptions.js";
import type { HttpRequest } from "../../http/request.js";
import type { HttpResponseBase } from "../../http/response/base.js";
import type { ModelInstance } from "../../db/model/instance.js";
import type { AnyModel, FieldMap } from "../../db/model/types.js";
import { q } from "../../db/query/expressions.js";
import type { QuerySet } from "../../db/query/querySet.js";
import { TemplateResponse } from "../../templates/templateResponse.js";
import { View } from "../view.js";
import { contextNameFor, templateNameFor } from "./modelNames.js";

/**
 * Finds one object from the URL (`<int:pk>` or `<slug:slug>`), else 404: the part of
 * DetailView, UpdateView and DeleteView (Django's `SingleObjectMixin`).
 */
export class SingleObjectView extends View {
  model: AnyModel | undefined;
  queryset: QuerySet<FieldMap, ModelInstance> | undefined;
  pkUrlKwarg = "pk";
  slugUrlKwarg = "slug";
  slugField = "slug";
  templateName: string | undefined;
  templateNameSuffix = "_detail";
  contextObjectName: string | undefined;
  extraContext: Record<string, unknown> = {};
  object: ModelInstance | undefined;

  getQueryset(): QuerySet<FieldMap, ModelInstance> {
    const base = this.queryset ?? this.model?.objects;
    if (base === undefined) throw new ImproperlyConfigured(`${this.constructor.name} is missing a QuerySet. Define model, queryset, or override getQueryset().`);
    return base.all();
  }

  /** The object named by the URL's pk or slug; Http404 when there is none. */
  async getObject(): Promise<ModelInstance> {
    const queryset = this.getQueryset();
    const pk = this.kwargs[this.pkUrlKwarg];
    const slug = this.kwargs[this.slugUrlKwarg];
    if (pk === undefined && slug === undefined) {
      throw new ImproperlyConfigured(`Generic detail view ${this.constructor.name} must be called with either an object pk or a slug in the URLconf.`);
    }
    const filters = pk !== undefined ? { pk } : { [this.slugField]: slug };
    const found = await queryset.filter(q(filters)).slice(0, 2).toArray();
    if (found.length === 0) throw new Http404(`No ${queryset.model.meta.verboseName} found matching the query`);
    return found[0] as ModelInstance;
  }

  getTemplateNames(): string {
    const model = this.model ?? this.getQueryset().model;
    return this.templateName ?? templateNameFor(model, this.templateNameSuffix);
  }

  getContextData(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const context: Record<string, unknown> = { view: this, ...this.extraContext };
    if (this.object !== undefined) {
      context.object = this.object;
      context[this.contextObjectName ?? contextNameFor(this.object._model)] = this.object;
    }
    return { ...context, ...extra };
  }
}

/**
 * A page for one object (Django's `DetailView`): template `<app>/<model>_detail.html` with
 * `object` and `<model>` in the context.
 *
 * @example
 * export class DetailView_ extends DetailView { override model = Question; override templateName = "polls/detail.html"; }
 * path("<int:pk>/", QuestionDetail.asView(), { name: "detail" })
 */
export class DetailView extends SingleObjectView {
  async get(request: HttpRequest): Promise<HttpResponseBase> {
    this.object = await this.getObject();
    return new TemplateResponse(request, this.getTemplateNames(), this.getContextData());
  }
}
