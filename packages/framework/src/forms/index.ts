export { Form, NON_FIELD_ERRORS, type AnyField, type FieldMap, type CleanedData, type FormInput, type FilesInput, type FormOptions } from "./form.js";
export { BoundField, prettyName } from "./boundField.js";
export { ErrorList, ErrorDict } from "./errorList.js";
export { ValidationError, type ErrorDetail } from "./validationError.js";
export { SafeHtml, markSafe, isSafeHtml } from "./safeHtml.js";
export { renderFormTemplate } from "./renderer.js";
export * from "./fields/index.js";
export * from "./widgets/index.js";
