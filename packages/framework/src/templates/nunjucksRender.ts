import nunjucks from "nunjucks";

type Done = (error: Error | null, html?: string) => void;

declare module "nunjucks" {
  // Template.render's third form, the one nunjucks uses for {% include %}: a parent frame, then the callback.
  interface Template {
    render(context: object, parentFrame: runtime.Frame, callback: (error: Error | null, result?: string) => void): void;
  }
}

/**
 * Renders template `name` of `env` and calls `done` with the error or the text; for a
 * template that does nothing asynchronous (no async filter or tag), before it returns.
 * After an error nunjucks may call back a second time: the first answer is the one that counts.
 *
 * `env.render(name, context, callback)` always delays its callback to a later tick (nunjucks'
 * `asap`), so every page paid a queue hop and its closures; this takes the same steps without
 * it: the template from the environment's cache (loaded and compiled on first use, or on every
 * call when the loader has `noCache`, as under DEBUG and tsgi-dev), then `Template.render`
 * with a parent frame, the form nunjucks uses for `{% include %}`, which calls back as soon as
 * it is done. The parent frame is a new empty one, so the page sees exactly the scope it had:
 * no variables above it, writes stopped at its own frame as before. Errors are nunjucks' own
 * (prettified with the template's path), as the callback form gives them.
 *
 * @example
 * renderByName(env, "page.html", { title: "Home" }, (error, html) => console.log(error ?? html));
 */
export function renderByName(env: nunjucks.Environment, name: string, context: object, done: Done): void {
  // Inline callbacks, no named closures: under tsx each named one costs a defineProperty per call.
  env.getTemplate(name, false, (error, template) => {
    if (error || !template) done(error ?? new Error(`template not found: ${name}`));
    else template.render(context, new nunjucks.runtime.Frame(), done);
  });
}
