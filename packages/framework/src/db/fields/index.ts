export { Field, snakeCase, type FieldKind, type FieldOptions, type FieldState, type JsonValue, type OnDelete } from "./field.js";
export * from "./scalar.js";
export { ForeignKey, ForeignKeyField, ManyToManyField, ManyToManyRelation, type ModelRef, type RelationTarget } from "./relations.js";
