import { Http404 } from "../exceptions.js";
import type { ModelInstance } from "./model/instance.js";
import type { FieldMap, Filters } from "./model/types.js";
import type { Q } from "./query/expressions.js";
import type { QuerySet } from "./query/querySet.js";

/** A model class or a query set: what the shortcuts search. */
export type QuerySource<F extends FieldMap, I extends ModelInstance> = { readonly objects: QuerySet<F, I> } | QuerySet<F, I>;

function querySetOf<F extends FieldMap, I extends ModelInstance>(source: QuerySource<F, I>): QuerySet<F, I> {
  return "objects" in source ? source.objects : source;
}

/**
 * The one object matching `filters`, else `Http404` (Django's `get_object_or_404`);
 * more than one still throws `MultipleObjectsReturned`, as in Django.
 *
 * @example
 * const question = await getObjectOr404(Question, { pk: kwargs.questionId });
 */
export async function getObjectOr404<F extends FieldMap, I extends ModelInstance>(source: QuerySource<F, I>, filters: Filters<F> | Q): Promise<I> {
  const query = querySetOf(source);
  try {
    return await query.get(filters);
  } catch (error) {
    if (error instanceof query.model.DoesNotExist) throw new Http404(`No ${query.model.meta.name} matches the given query.`);
    throw error;
  }
}

/**
 * The objects matching `filters`, else `Http404` when there are none (Django's `get_list_or_404`).
 *
 * @example
 * const choices = await getListOr404(Choice, { question });
 */
export async function getListOr404<F extends FieldMap, I extends ModelInstance>(source: QuerySource<F, I>, filters?: Filters<F> | Q): Promise<I[]> {
  const query = querySetOf(source);
  const rows = await (filters === undefined ? query : query.filter(filters)).toArray();
  if (rows.length === 0) throw new Http404(`No ${query.model.meta.name} matches the given query.`);
  return rows;
}
