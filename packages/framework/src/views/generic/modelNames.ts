import type { AnyModel } from "../../db/model/types.js";

/**
 * The names generic views derive from a model: `polls/question_list.html`, `questionList`.
 *
 * @example
 * templateNameFor(Question, "_detail"); // "polls/question_detail.html"
 */
export function templateNameFor(model: AnyModel, suffix: string): string {
  return `${model.meta.app}/${model.meta.name.toLowerCase()}${suffix}.html`;
}

/** `Question` -> `question` (the context name of one object). */
export function contextNameFor(model: AnyModel): string {
  return model.meta.name.charAt(0).toLowerCase() + model.meta.name.slice(1);
}
