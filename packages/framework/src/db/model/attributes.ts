/**
 * Reading and writing an instance's field attributes by name: the model layer knows the
 * names only at run time (from the model's fields), while the instance types know them statically.
 */

/**
 * The attribute `name` of `target`.
 *
 * @example
 * getAttr(choice, "questionId"); // 3
 */
export function getAttr(target: object, name: string): unknown {
  return Reflect.get(target, name) as unknown;
}

/**
 * Sets the attribute `name` of `target` (through its setter, for foreign keys).
 *
 * @example
 * setAttr(choice, "votes", 0);
 */
export function setAttr(target: object, name: string, value: unknown): void {
  Reflect.set(target, name, value);
}
