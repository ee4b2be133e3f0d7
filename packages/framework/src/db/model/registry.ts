import { ModelDeclarationError } from "../errors.js";
import type { ForeignKeyField, ManyToManyRelation } from "../fields/relations.js";
import type { AnyModel } from "./types.js";

/** A relation seen from the model it points at: `question.related(Choice)`, `prefetchRelated("choices")`. */
export interface ReverseRelation {
  /** `relatedName`, else `<model in camelCase>Set` (Django's `choice_set`). */
  readonly name: string;
  readonly model: AnyModel;
  readonly field: ForeignKeyField | ManyToManyRelation;
}

/**
 * Every declared model by `app.Model` (Django's `apps` registry): how foreign keys given as
 * labels are resolved, how reverse relations are found, and what `makemigrations` compares.
 */
class Apps {
  readonly #models = new Map<string, AnyModel>();

  /** Adds (or, when a module is re-imported after a reload, replaces) a model. */
  register(model: AnyModel): void {
    this.#models.set(model.meta.label, model);
  }

  /**
   * The model `app.Model`.
   *
   * @example
   * apps.getModel("polls.Question").objects.count();
   */
  getModel(label: string): AnyModel {
    const model = this.#models.get(label);
    if (model === undefined) {
      throw new ModelDeclarationError(`No model ${label} is declared: import the app's models.ts first, or check the app label and model name (declared: ${[...this.#models.keys()].join(", ") || "none"}).`);
    }
    return model;
  }

  /** The models of one app, in declaration order. */
  modelsOf(app: string): AnyModel[] {
    return [...this.#models.values()].filter((model) => model.meta.app === app);
  }

  /** Every model, in declaration order. */
  all(): AnyModel[] {
    return [...this.#models.values()];
  }

  /**
   * Relations from other models (and from itself) to `model`.
   *
   * @example
   * apps.reverseRelations(Question).map((r) => r.name); // ["choices"]
   */
  reverseRelations(model: AnyModel): ReverseRelation[] {
    const relations: ReverseRelation[] = [];
    for (const other of this.#models.values()) {
      for (const field of [...other.meta.foreignKeys, ...other.meta.manyToMany]) {
        if (field.targetLabel !== model.meta.label) continue;
        const base = other.meta.name.charAt(0).toLowerCase() + other.meta.name.slice(1);
        relations.push({ name: field.relatedName ?? `${base}Set`, model: other, field });
      }
    }
    return relations;
  }
}

/** The process's model registry. */
export const apps = new Apps();
