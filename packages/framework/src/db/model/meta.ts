import { FieldError, ModelDeclarationError } from "../errors.js";
import { Field } from "../fields/field.js";
import { ForeignKeyField, ManyToManyRelation } from "../fields/relations.js";
import { AutoField } from "../fields/scalar.js";
import type { FieldMap, MetaOptions } from "./types.js";

/** An index as the model declares it, with its final name. */
export interface IndexSpec {
  name: string;
  fields: string[];
  unique?: boolean;
}

/**
 * What is known about a model (Django's `Model._meta`): its app, table, fields in order,
 * primary key, default ordering and indexes.
 */
export class ModelMeta {
  readonly label: string;
  readonly table: string;
  /** Every field, primary key first when automatic. */
  readonly fields: readonly Field[];
  readonly pk: Field;
  readonly ordering: readonly string[];
  readonly indexes: readonly IndexSpec[];
  readonly uniqueTogether: readonly (readonly string[])[];
  readonly verboseName: string;
  readonly verboseNamePlural: string;
  readonly #byName = new Map<string, Field>();

  constructor(
    readonly app: string,
    readonly name: string,
    declared: FieldMap,
    options: MetaOptions<FieldMap> = {},
  ) {
    if (!/^[a-z][a-z0-9_]*$/.test(app)) throw new ModelDeclarationError(`defineModel("${app}", "${name}"): the app label must be lower-case letters, digits and _ (the app's folder name), e.g. "polls".`);
    if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new ModelDeclarationError(`defineModel("${app}", "${name}"): the model name must be PascalCase letters and digits, e.g. "Question".`);
    this.label = `${app}.${name}`;
    this.table = options.dbTable ?? `${app}_${name.toLowerCase()}`;
    const fields: Field[] = [];
    const declaredPk = Object.values(declared).filter((field) => field instanceof Field && field.isPrimaryKey);
    if (declaredPk.length > 1) throw new ModelDeclarationError(`${this.label}: more than one primary key (${declaredPk.map((f) => f.name).join(", ")}); keep one primaryKey: true.`);
    if (declaredPk.length === 0) {
      if ("id" in declared) throw new ModelDeclarationError(`${this.label}: a field named "id" must be the primary key; add primaryKey: true or rename it.`);
      const id = AutoField();
      fields.push(id);
      id.name = "id";
    }
    for (const [fieldName, field] of Object.entries(declared)) {
      if (!(field instanceof Field)) {
        throw new ModelDeclarationError(`${this.label}.${fieldName} is not a field: use a field factory such as CharField({ maxLength: 100 }) or ForeignKey(Model, { onDelete: "CASCADE" }).`);
      }
      if (field.name !== "" && field.modelLabel !== "") {
        throw new ModelDeclarationError(`${this.label}.${fieldName}: this field object already belongs to ${field.modelLabel}.${field.name}; create a new one for each model.`);
      }
      if (!/^[a-z][A-Za-z0-9]*$/.test(fieldName) || fieldName === "pk") {
        throw new ModelDeclarationError(`${this.label}.${fieldName}: field names are camelCase letters and digits (no "__", not "pk"), e.g. "pubDate".`);
      }
      field.name = fieldName;
      fields.push(field);
    }
    for (const field of fields) {
      field.modelLabel = this.label;
      this.#byName.set(field.name, field);
      field.check();
    }
    const columns = new Map<string, string>();
    for (const field of fields.filter((f) => f.concrete)) {
      const clash = columns.get(field.column);
      if (clash !== undefined) throw new ModelDeclarationError(`${this.label}: fields ${clash} and ${field.name} both use the column "${field.column}"; set dbColumn on one of them.`);
      columns.set(field.column, field.name);
      if (field instanceof ForeignKeyField && fields.some((f) => f.name === field.attname)) {
        throw new ModelDeclarationError(`${this.label}: the field ${field.attname} clashes with the id attribute of the foreign key ${field.name}; rename it.`);
      }
    }
    this.fields = fields;
    this.pk = fields.find((field) => field.isPrimaryKey) as Field;
    const field = (fieldName: string, where: string): Field => {
      const found = this.findField(fieldName);
      if (found === undefined) throw new ModelDeclarationError(`${this.label}: meta.${where} names "${fieldName}", which is not a field (Cannot resolve keyword "${fieldName}"; fields: ${fields.map((f) => f.name).join(", ")}).`);
      return found;
    };
    for (const ordered of options.ordering ?? []) field(ordered.replace(/^-/, ""), "ordering");
    this.ordering = [...(options.ordering ?? [])];
    this.uniqueTogether = (options.uniqueTogether ?? []).map((set) => set.map((fieldName) => field(fieldName, "uniqueTogether").name));
    this.indexes = (options.indexes ?? []).map((index) => ({
      fields: index.fields.map((fieldName) => field(fieldName, "indexes").name),
      name: index.name ?? `${this.table}_${index.fields.map((f) => field(f, "indexes").column).join("_")}_idx`.slice(0, 63),
    }));
    this.verboseName = options.verboseName ?? name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
    this.verboseNamePlural = options.verboseNamePlural ?? `${this.verboseName}s`;
  }

  /** Fields stored in the model's table (not many-to-many). */
  get concreteFields(): readonly Field[] {
    // Read for every row loaded (instance construction, row assignment): filtered once.
    this.#concreteFields ??= this.fields.filter((field) => field.concrete);
    return this.#concreteFields;
  }

  #concreteFields: readonly Field[] | undefined;

  get foreignKeys(): ForeignKeyField[] {
    return this.fields.filter((field): field is ForeignKeyField => field instanceof ForeignKeyField);
  }

  get manyToMany(): ManyToManyRelation[] {
    return this.fields.filter((field): field is ManyToManyRelation => field instanceof ManyToManyRelation);
  }

  /**
   * The field called `name` (`pk` is the primary key, `questionId` the foreign key `question`).
   * Throws a FieldError listing the choices.
   *
   * @example
   * Question.meta.getField("pubDate").column; // "pub_date"
   */
  getField(name: string): Field {
    const found = this.findField(name);
    if (found === undefined) {
      throw new FieldError(`Cannot resolve keyword "${name}" into a field of ${this.label}. Choices are: pk, ${[...this.#byName.keys()].join(", ")}.`);
    }
    return found;
  }

  /** Like {@link ModelMeta.getField}, but undefined when there is no such field. */
  findField(name: string): Field | undefined {
    if (name === "pk") return this.pk;
    const field = this.#byName.get(name);
    if (field !== undefined) return field;
    return this.foreignKeys.find((fk) => fk.attname === name);
  }
}
