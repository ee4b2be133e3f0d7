export { Widget, buildAttrs, type Attrs, type FormDataSource, type FilesSource, type WidgetContext } from "./widget.js";
export { Input, TextInput, NumberInput, EmailInput, URLInput, SearchInput, PasswordInput, HiddenInput, DateInput, DateTimeInput, Textarea, CheckboxInput, FileInput, formatDate } from "./input.js";
export { ChoiceWidget, Select, SelectMultiple, RadioSelect, CheckboxSelectMultiple, flattenChoices, type Choice, type ChoiceGroup, type Choices, type OptionContext } from "./choice.js";
