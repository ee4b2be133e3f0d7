export { Field, isEmptyValue, type FieldOptions, type FieldValue, type Validator } from "./field.js";
export { CharField, TextField, EmailField, URLField, SlugField, UUIDField, RegexField, type CharFieldOptions } from "./text.js";
export { IntegerField, FloatField, DecimalField, type NumberFieldOptions, type DecimalFieldOptions } from "./number.js";
export { BooleanField } from "./boolean.js";
export { ChoiceField, MultipleChoiceField, type ChoiceFieldOptions } from "./choice.js";
export { DateField, DateTimeField, TimeField, parseDate, parseDateTime } from "./date.js";
export { FileField, ImageField, sniffImageFormat, type FileFieldOptions, type ImageFormat } from "./file.js";
