import { ImproperlyConfigured, Http404 } from "../../exceptions.js";
import type { HttpRequest } from "../../http/request.js";
import type { ModelInstance } from "../../db/model/instance.js";
import type { AnyModel, FieldMap } from "../../db/model/types.js";
import { InvalidPage, Paginator, type Page } from "../../db/paginator.js";
import type { QuerySet } from "../../db/query/querySet.js";
import { TemplateResponse } from "../../templates/templateResponse.js";
import { View } from "../view.js";
import { contextNameFor, templateNameFor } from "./modelNames.js";

/**
 * A page listing a model's objects (Django's `ListView`), paginated with `paginateBy`
 * (`?page=2`, `?page=last`; a page out of range is a 404). The template (default
 * `<app>/<model>_list.html`) gets `objectList`, `<model>List`, `paginator`, `pageObj`, `isPaginated`.
 *
 * @example
 * export class IndexView extends ListView {
 *   override templateName = "polls/index.html";
 *   override contextObjectName = "latestQuestionList";
 *   override getQueryset() { return Question.objects.filter({ pubDate__lte: new Date() }).orderBy("-pubDate").slice(0, 5); }
 * }
 */
export class ListView extends View {
  model: AnyModel | undefined;
  queryset: QuerySet<FieldMap, ModelInstance> | undefined;
  ordering: readonly string[] | undefined;
  paginateBy: number | undefined;
  paginateOrphans = 0;
  pageKwarg = "page";
  /** An empty list renders (true) or is a 404 (false). */
  allowEmpty = true;
  templateName: string | undefined;
  contextObjectName: string | undefined;
  extraContext: Record<string, unknown> = {};

  /** The objects to list: `queryset`, else every `model` row; ordered by `ordering` when set. */
  getQueryset(): QuerySet<FieldMap, ModelInstance> {
    const base = this.queryset ?? this.model?.objects;
    if (base === undefined) throw new ImproperlyConfigured(`${this.constructor.name} is missing a QuerySet. Define model, queryset, or override getQueryset().`);
    return this.ordering === undefined ? base.all() : base.orderBy(...(this.ordering as never[]));
  }

  getTemplateNames(queryset: QuerySet<FieldMap, ModelInstance>): string {
    return this.templateName ?? templateNameFor(queryset.model, "_list");
  }

  /** The context: the list (or its page), the paginator, and `extraContext`. */
  async getContextData(queryset: QuerySet<FieldMap, ModelInstance>): Promise<Record<string, unknown>> {
    let objectList: readonly ModelInstance[];
    let paginator: Paginator<ModelInstance> | null = null;
    let page: Page<ModelInstance> | null = null;
    if (this.paginateBy !== undefined) {
      paginator = new Paginator(queryset, this.paginateBy, { orphans: this.paginateOrphans, allowEmptyFirstPage: this.allowEmpty });
      const wanted = this.kwargs[this.pageKwarg] ?? this.request.GET.get(this.pageKwarg) ?? 1;
      const number = wanted === "last" ? await paginator.numPages() : (wanted as number | string);
      try {
        page = await paginator.page(number);
      } catch (error) {
        if (error instanceof InvalidPage) throw new Http404(`Invalid page (${String(number)}): ${error.message}`);
        throw error;
      }
      objectList = page.objectList;
    } else {
      objectList = await queryset.toArray();
    }
    if (!this.allowEmpty && objectList.length === 0) throw new Http404(`Empty list and “${this.constructor.name}.allowEmpty” is false.`);
    const name = this.contextObjectName ?? `${contextNameFor(queryset.model)}List`;
    return { objectList, [name]: objectList, paginator, pageObj: page, isPaginated: page?.hasOtherPages() ?? false, view: this, ...this.extraContext };
  }

  async get(request: HttpRequest): Promise<TemplateResponse> {
    const queryset = this.getQueryset();
    return new TemplateResponse(request, this.getTemplateNames(queryset), await this.getContextData(queryset));
  }
}
