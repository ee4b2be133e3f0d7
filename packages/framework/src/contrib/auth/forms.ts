import { authenticate } from "../../auth/login.js";
import type { AuthUser } from "../../auth/user.js";
import { passwordValidatorsHelpTexts, validatePassword } from "../../auth/passwordValidation.js";
import { defaultTokenGenerator, uidToBase64, type PasswordResetTokenGenerator } from "../../auth/tokens.js";
import { CharField, EmailField } from "../../forms/fields/text.js";
import { Form, type FormInput, type FormOptions } from "../../forms/form.js";
import { ValidationError } from "../../forms/validationError.js";
import { PasswordInput, TextInput } from "../../forms/widgets/input.js";
import type { HttpRequest } from "../../http/request.js";
import { EmailMessage } from "../../mail/message.js";
import { renderToString } from "../../templates/render.js";
import { createUser, User } from "./models.js";

const passwordWidget = (autocomplete: string) => new PasswordInput({ autocomplete });

/**
 * Username and password (Django's `AuthenticationForm`): valid when `authenticate` finds an
 * active user; `getUser()` then returns it. Wrong password, unknown user and inactive user
 * get the same message, so the form does not reveal which usernames exist.
 *
 * @example
 * const form = await AuthenticationForm.fromRequest(request);
 * if (await form.isValid()) await login(request, form.getUser());
 */
export class AuthenticationForm extends Form.define({
  username: new CharField({ maxLength: 150, widget: new TextInput({ autofocus: true, autocomplete: "username", autocapitalize: "none" }) }),
  password: new CharField({ strip: false, widget: passwordWidget("current-password") }),
}) {
  #user: AuthUser | null = null;

  override async clean(): Promise<void> {
    const { username, password } = this.cleanedData;
    if (username === undefined || password === undefined) return;
    this.#user = await authenticate(this.request, { username, password });
    if (this.#user === null) {
      throw new ValidationError("Please enter a correct username and password. Note that both fields may be case-sensitive.", { code: "invalid_login", params: { username: "username" } });
    }
    this.confirmLoginAllowed(this.#user);
  }

  /** Refuses inactive users (reached only with a backend that returns them); override for more rules. */
  confirmLoginAllowed(user: AuthUser): void {
    if (!user.isActive) throw new ValidationError("This account is inactive.", { code: "inactive" });
  }

  /** The authenticated user (after `isValid()` resolved true). */
  getUser(): AuthUser {
    if (this.#user === null) throw new Error("AuthenticationForm.getUser() before a successful isValid().");
    return this.#user;
  }
}

/** Two new-password fields that must match and pass AUTH_PASSWORD_VALIDATORS. */
const newPasswordFields = {
  newPassword1: new CharField({ label: "New password", strip: false, widget: passwordWidget("new-password") }),
  newPassword2: new CharField({ label: "New password confirmation", strip: false, widget: passwordWidget("new-password") }),
};

function checkNewPasswords(form: Form, password1: string | undefined, password2: string | undefined, user: AuthUser | undefined, field: string): void {
  if (password1 && password2 && password1 !== password2) {
    form.addError(field, new ValidationError("The two password fields didn’t match.", { code: "password_mismatch" }));
    return;
  }
  if (password2) {
    try {
      validatePassword(password2, user === undefined ? undefined : { username: user.username, email: user.email });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      form.addError(field, error);
    }
  }
}

/**
 * Sets a user's password without the old one (Django's `SetPasswordForm`; the reset confirm view uses it).
 *
 * @example
 * const form = new SetPasswordForm(user, await request.POST());
 * if (await form.isValid()) await form.save();
 */
export class SetPasswordForm extends Form.define(newPasswordFields) {
  constructor(
    readonly user: User,
    data?: FormInput | null,
    options: FormOptions = {},
  ) {
    super(data, options);
    const help = passwordValidatorsHelpTexts();
    if (help.length > 0) this.fields.newPassword1.helpText = help.join(" ");
  }

  override clean(): void {
    checkNewPasswords(this, this.cleanedData.newPassword1, this.cleanedData.newPassword2, this.user, "newPassword2");
  }

  /** Stores the new hash and saves the user. */
  async save(): Promise<User> {
    await this.user.setPassword(this.cleanedData.newPassword1);
    await this.user.save({ updateFields: ["password"] });
    return this.user;
  }
}

/**
 * The old password, then the new one twice (Django's `PasswordChangeForm`).
 *
 * @example
 * const form = new PasswordChangeForm(user, await request.POST());
 */
export class PasswordChangeForm extends Form.define({
  oldPassword: new CharField({ label: "Old password", strip: false, widget: new PasswordInput({ autocomplete: "current-password", autofocus: true }) }),
  ...newPasswordFields,
}) {
  constructor(
    readonly user: User,
    data?: FormInput | null,
    options: FormOptions = {},
  ) {
    super(data, options);
  }

  async cleanOldPassword(value: string): Promise<string> {
    if (!(await this.user.checkPassword(value))) {
      throw new ValidationError("Your old password was entered incorrectly. Please enter it again.", { code: "password_incorrect" });
    }
    return value;
  }

  override clean(): void {
    checkNewPasswords(this, this.cleanedData.newPassword1, this.cleanedData.newPassword2, this.user, "newPassword2");
  }

  async save(): Promise<User> {
    await this.user.setPassword(this.cleanedData.newPassword1);
    await this.user.save({ updateFields: ["password"] });
    return this.user;
  }
}

/** Options of {@link PasswordResetForm.save}. */
export interface PasswordResetSaveOptions {
  request: HttpRequest;
  /** Path of the confirm page for `uid` and `token` (the view passes its reversed URL builder). */
  confirmUrl: (uid: string, token: string) => string;
  subjectTemplateName?: string;
  emailTemplateName?: string;
  htmlEmailTemplateName?: string;
  fromEmail?: string;
  tokenGenerator?: PasswordResetTokenGenerator;
  extraContext?: Record<string, unknown>;
}

/**
 * An email address to send a reset link to (Django's `PasswordResetForm`): `save()` emails
 * every active user with that address and a usable password; nothing tells the visitor
 * whether the address is known.
 *
 * @example
 * if (await form.isValid()) await form.save({ request, confirmUrl });
 */
export class PasswordResetForm extends Form.define({
  email: new EmailField({ label: "Email", maxLength: 254, widget: new TextInput({ type: "email", autocomplete: "email" }) }),
}) {
  /** The users the email goes to (case-insensitive match, active, usable password). */
  async getUsers(email: string): Promise<User[]> {
    const lowered = email.toLowerCase();
    const candidates = await User.objects.filter({ isActive: true }).toArray();
    return candidates.filter((user) => user.email.toLowerCase() === lowered && user.hasUsablePassword());
  }

  async save(options: PasswordResetSaveOptions): Promise<number> {
    const generator = options.tokenGenerator ?? defaultTokenGenerator;
    const request = options.request;
    let sent = 0;
    for (const user of await this.getUsers(this.cleanedData.email)) {
      const uid = uidToBase64(user.pk);
      const token = generator.makeToken(user);
      const protocol = request.isSecure() ? "https" : "http";
      const domain = request.getHost();
      const context = { email: user.email, domain, siteName: domain, uid, user, token, protocol, resetUrl: `${protocol}://${domain}${options.confirmUrl(uid, token)}`, ...options.extraContext };
      const subject = (await renderToString(options.subjectTemplateName ?? "registration/password_reset_subject.txt", context)).replace(/[\r\n]+/g, "").trim();
      const body = await renderToString(options.emailTemplateName ?? "registration/password_reset_email.html", context);
      const html = options.htmlEmailTemplateName === undefined ? undefined : await renderToString(options.htmlEmailTemplateName, context);
      sent += await new EmailMessage({ subject, body, to: [user.email], ...(options.fromEmail !== undefined && { fromEmail: options.fromEmail }), ...(html !== undefined && { html }) }).send();
    }
    return sent;
  }
}

const USERNAME = /^[\p{L}\p{N}_.@+-]+$/u;

/**
 * Sign-up (Django's `UserCreationForm`): a unique username (letters, digits and @/./+/-/_),
 * a password twice, checked by AUTH_PASSWORD_VALIDATORS; `save()` creates the user.
 *
 * @example
 * const form = await UserCreationForm.fromRequest(request);
 * if (await form.isValid()) await login(request, await form.save());
 */
export class UserCreationForm extends Form.define({
  username: new CharField({ maxLength: 150, helpText: "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.", widget: new TextInput({ autocomplete: "username", autofocus: true }) }),
  email: new EmailField({ required: false, maxLength: 254, label: "Email address" }),
  password1: new CharField({ label: "Password", strip: false, widget: passwordWidget("new-password") }),
  password2: new CharField({ label: "Password confirmation", strip: false, helpText: "Enter the same password as before, for verification.", widget: passwordWidget("new-password") }),
}) {
  async cleanUsername(value: string): Promise<string> {
    const username = value.normalize("NFKC");
    if (!USERNAME.test(username)) throw new ValidationError("Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.", { code: "invalid" });
    if (await User.objects.filter({ username }).exists()) throw new ValidationError("A user with that username already exists.", { code: "unique" });
    return username;
  }

  override clean(): void {
    const { password1, password2, username, email } = this.cleanedData;
    if (password1 && password2 && password1 !== password2) {
      this.addError("password2", new ValidationError("The two password fields didn’t match.", { code: "password_mismatch" }));
      return;
    }
    if (password2) {
      try {
        validatePassword(password2, { username: username ?? "", email: email ?? "" });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        this.addError("password2", error);
      }
    }
  }

  async save(): Promise<User> {
    return createUser(this.cleanedData.username, this.cleanedData.email, this.cleanedData.password1);
  }
}
