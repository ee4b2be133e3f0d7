export { ListView } from "./list.js";
export { DetailView, SingleObjectView } from "./detail.js";
export { CreateView, UpdateView, DeleteView, ModelEditView, type EditForm, type EditFormClass, type FieldErrors } from "./edit.js";
