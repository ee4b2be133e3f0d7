import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BooleanField, CharField, CheckboxSelectMultiple, ChoiceField, CsrfViewMiddleware, EmailField, FileField, Form, HiddenInput, IntegerField,
  MultipleChoiceField, PasswordInput, RadioSelect, SessionMiddleware, ValidationError, getTsgiApplication, path, render, Client, QueryDict,
  TemplateSyntaxError,
} from "../../src/index.js";

class SignupForm extends Form.define({
  username: new CharField({ maxLength: 20, helpText: "Letters <b>only</b>" }),
  email: new EmailField(),
  password: new CharField({ widget: new PasswordInput() }),
  age: new IntegerField({ required: false, minValue: 13 }),
  terms: new BooleanField(),
}) {
  cleanUsername(value: string): string {
    if (value === "admin") throw new ValidationError("That name is taken.", { code: "taken" });
    return value.toLowerCase();
  }
  override async clean(): Promise<void> {
    await Promise.resolve();
    if (this.cleanedData.password === this.cleanedData.username) throw new ValidationError("Password equals the username.");
  }
}

const good = { username: "Alice", email: "a@example.com", password: "s3cret!", age: "30", terms: "on" };

describe("Form", () => {
  it("cleans into typed data, running cleanX hooks", async () => {
    const form = new SignupForm(good);
    expect(form.isBound).toBe(true);
    expect(await form.isValid()).toBe(true);
    const data = form.cleanedData;
    const username: string = data.username;
    const age: number | null = data.age;
    expect({ username, age, terms: data.terms }).toEqual({ username: "alice", age: 30, terms: true });
  });

  it("collects errors per field and non-field, with codes", async () => {
    const form = new SignupForm({ username: "admin", email: "nope", password: "admin", terms: "" });
    expect(await form.isValid()).toBe(false);
    expect(form.errors.toJSON()).toEqual({
      username: [{ message: "That name is taken.", code: "taken" }],
      email: [{ message: "Enter a valid email address.", code: "invalid" }],
      terms: [{ message: "This field is required.", code: "required" }],
    });
    expect(form.hasError("username", "taken")).toBe(true);
    expect(form.hasError("email", "taken")).toBe(false);
    expect("username" in form.cleanedData).toBe(false);

    const same = new SignupForm({ ...good, username: "bob", password: "bob" });
    expect(await same.isValid()).toBe(false);
    expect(same.nonFieldErrors().messages).toEqual(["Password equals the username."]);
    expect(same.errors.asText()).toContain("* __all__");
  });

  it("an unbound form is not valid and has no errors", async () => {
    const form = new SignupForm();
    expect(form.isBound).toBe(false);
    expect(await form.isValid()).toBe(false);
    expect(form.errors.size).toBe(0);
  });

  it("addError: to a field, to the form, from a mapping; unknown fields refused", async () => {
    class F extends Form.define({ a: new CharField(), b: new CharField() }) {
      override clean(): void {
        this.addError("a", "Bad a.");
        this.addError(null, new ValidationError({ b: ["Bad b."], a: "Worse a." }));
      }
    }
    const form = new F({ a: "1", b: "2" });
    expect(await form.isValid()).toBe(false);
    expect(form.errors.get("a")?.messages).toEqual(["Bad a.", "Worse a."]);
    expect(form.errors.get("b")?.messages).toEqual(["Bad b."]);
    expect(form.cleanedData).toEqual({});
    expect(() => form.addError("nope", "x")).toThrow("has no field named 'nope'");
    expect(() => form.addError("a", new ValidationError({ b: "x" }))).toThrow(/field must be null/);
  });

  it("an error that is not a ValidationError propagates", async () => {
    class F extends Form.define({ a: new CharField() }) {
      cleanA(): string {
        throw new TypeError("bug");
      }
    }
    await expect(new F({ a: "x" }).isValid()).rejects.toThrow("bug");
  });

  it("reads QueryDict lists, prefixes, initial values, changed data", async () => {
    const Tags = Form.define({ tags: new MultipleChoiceField({ choices: [["a", "A"], ["b", "B"]] }), n: new IntegerField({ initial: 3 }) });
    const form = new Tags(QueryDict.parse("p-tags=a&p-tags=b&p-n=4"), { prefix: "p" });
    expect(await form.isValid()).toBe(true);
    expect(form.cleanedData).toEqual({ tags: ["a", "b"], n: 4 });
    expect(form.changedData).toEqual(["tags", "n"]);
    expect(String(form.get("n"))).toContain('name="p-n"');
    const unbound = new Tags(null, { initial: { n: 7 } });
    expect(unbound.get("n").value()).toBe(7);
    expect(new Tags().get("n").value()).toBe(3);
    expect(() => unbound.get("missing")).toThrow("Choices are: tags, n");
  });

  it("each instance has its own copy of the fields", () => {
    const F = Form.define({ size: new ChoiceField({ choices: [["s", "S"]] }) });
    const one = new F();
    one.fields.size.choices = [["x", "X"]];
    expect(String(new F().get("size"))).toContain('value="s"');
    expect(String(one.get("size"))).toContain('value="x"');
  });

  it("emptyPermitted: an untouched form is valid", async () => {
    const F = Form.define({ a: new CharField() });
    expect(await new F({}, { emptyPermitted: true }).isValid()).toBe(true);
    expect(await new F({ a: "" }, { emptyPermitted: false }).isValid()).toBe(false);
  });

  it("disabled fields keep their initial value whatever is posted", async () => {
    const F = Form.define({ owner: new CharField({ disabled: true, initial: "alice" }) });
    const form = new F({ owner: "mallory" });
    expect(await form.isValid()).toBe(true);
    expect(form.cleanedData.owner).toBe("alice");
    expect(String(form.get("owner"))).toContain("disabled");
  });
});

describe("rendering", () => {
  it("re-displays submitted values, escaped, never the password", async () => {
    const form = new SignupForm({ ...good, username: '<script>alert("x")</script>', password: "hunter2" });
    await form.isValid();
    const html = String(form);
    expect(html).toContain('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"');
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("hunter2");
    expect(html).toContain('<input type="password" name="password" id="id_password" required>');
    expect(html).toContain('<ul class="errorlist"><li>Ensure this value has at most 20 characters (it has 27).</li></ul>');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain("Letters &lt;b&gt;only&lt;/b&gt;");
    expect(html).toContain('<label for="id_username" class="required">Username:</label>');
    expect(html).toContain('<div class="error required">');
  });

  it("renders every widget kind and the other layouts", () => {
    const F = Form.define({
      size: new ChoiceField({ choices: [["s", "Small"], ["l", "Large"]], widget: new RadioSelect(), initial: "l" }),
      tags: new MultipleChoiceField({ choices: [["a", "A"], ["b", "B"]], widget: new CheckboxSelectMultiple(), initial: ["b"] }),
      pick: new ChoiceField({ choices: [["", "---"], ["g", [["1", "One"]]]] as never, required: false }),
      token: new CharField({ widget: new HiddenInput(), initial: "t" }),
      doc: new FileField({ required: false }),
    });
    const form = new F();
    const html = String(form);
    expect(html).toContain('<legend class="required">Size:</legend>');
    expect(html).toContain('value="l" id="id_size_1" checked required');
    expect(html).toContain('value="b" id="id_tags_1" checked>');
    expect(html).not.toMatch(/name="tags"[^>]*required/);
    expect(html).toContain('<optgroup label="g">');
    expect(html).toContain('<input type="hidden" name="token" value="t" id="id_token">');
    expect(form.isMultipart()).toBe(true);
    expect(String(form.asP())).toContain("<p");
    expect(String(form.asTable())).toContain("<th>");
    expect(String(form.asUl())).toContain("<li");
    expect(form.get("tags").idForLabel).toBe("id_tags_0");
  });

  it("hidden field errors are shown at the top, naming the field", async () => {
    const F = Form.define({ token: new CharField({ widget: new HiddenInput() }), name: new CharField() });
    const form = new F({ name: "x" });
    await form.isValid();
    expect(String(form)).toContain("(Hidden field token) This field is required.");
  });

  it("autoId false and a custom label suffix", () => {
    const F = Form.define({ name: new CharField({ label: "Your name?" }) });
    const html = String(new F(null, { autoId: false, labelSuffix: " →" }));
    expect(html).not.toContain("id=");
    expect(html).toContain("<label class=\"required\">Your name?</label>");
  });
});

describe("forms in a site", () => {
  const dir = mkdtempSync(join(tmpdir(), "forms-site-"));
  mkdirSync(join(dir, "templates", "django", "forms", "widgets"), { recursive: true });
  writeFileSync(join(dir, "templates", "signup.html"), '<form method="post">{{ form }}<button>Go</button></form>');
  // A designer's override of one widget template.
  writeFileSync(join(dir, "templates", "django", "forms", "widgets", "email.html"), '<input class="designer" type="email" name="{{ widget.name }}"{% if widget.hasValue %} value="{{ widget.value }}"{% endif %}>');
  writeFileSync(join(dir, "templates", "broken.html"), "{{ form.username.asWidget( }}");

  const app = getTsgiApplication({
    SECRET_KEY: "x".repeat(50),
    ALLOWED_HOSTS: ["testserver"],
    MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware],
    TEMPLATES: { DIRS: [join(dir, "templates")] },
    urlpatterns: [
      path("signup/", async (request) => {
        const form = await SignupForm.fromRequest(request);
        if (request.method === "POST" && (await form.isValid())) return render(request, "signup.html", { form: new SignupForm(), done: true });
        return render(request, "signup.html", { form });
      }),
      path("broken/", (request) => render(request, "broken.html", { form: new SignupForm() })),
    ],
  });

  it("renders with the CSRF token and the designer's widget template, and validates a post", async () => {
    const client = new Client(app, { enforceCsrfChecks: true });
    const page = await client.get("/signup/");
    expect(page.status).toBe(200);
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.text())?.[1];
    expect(token).toHaveLength(64);
    expect(page.text()).toContain('<input class="designer" type="email" name="email">');
    expect(page.context.form).toBeInstanceOf(SignupForm);

    const refused = await client.post("/signup/", good, { contentType: "application/x-www-form-urlencoded" });
    expect(refused.status).toBe(403);

    const bad = await client.post("/signup/", { ...good, email: "bad", csrfmiddlewaretoken: token });
    expect(bad.status).toBe(200);
    expect(bad.text()).toContain("Enter a valid email address.");
    expect(bad.text()).toContain('value="Alice"');
    expect(bad.text()).not.toContain("s3cret!");
    const form = bad.context.form as SignupForm;
    expect(form.errors.get("email")?.messages).toEqual(["Enter a valid email address."]);

    const ok = await client.post("/signup/", { ...good, csrfmiddlewaretoken: token });
    expect(ok.context.done).toBe(true);
  });

  it("a template error in a form template names the template and line", async () => {
    const client = new Client(app);
    await expect(client.get("/broken/")).rejects.toBeInstanceOf(TemplateSyntaxError);
  });
});
