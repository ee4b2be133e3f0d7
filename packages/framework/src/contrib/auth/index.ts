import { fileURLToPath } from "node:url";
import { setDefaultAuthBackends } from "../../auth/backends.js";
import { userLoggedIn } from "../../auth/signals.js";
import { ModelBackend } from "./backend.js";
import { User } from "./models.js";

/**
 * The auth app's folder, for INSTALLED_APPS: its models (User, Group, Permission) and
 * migrations are then part of `migrate`.
 *
 * @example
 * defineSettings({ INSTALLED_APPS: [AUTH_APP, "polls"], ... })
 */
export const AUTH_APP = fileURLToPath(new URL(".", import.meta.url));

const modelBackend = new ModelBackend();
setDefaultAuthBackends(() => [modelBackend]);

// Django's update_last_login receiver.
userLoggedIn.connect(
  async (_sender, { user }) => {
    if (!(user instanceof User)) return;
    user.lastLogin = new Date();
    await user.save({ updateFields: ["lastLogin"] });
  },
  { dispatchUid: "auth.updateLastLogin" },
);

export { ModelBackend } from "./backend.js";
export { User, Group, Permission, createUser, createSuperuser, createPermissions, getPermission, normalizeEmail, DEFAULT_PERMISSIONS, type CreateUserOptions } from "./models.js";
export { AuthenticationForm, UserCreationForm, PasswordChangeForm, SetPasswordForm, PasswordResetForm, type PasswordResetSaveOptions } from "./forms.js";
export {
  LoginView, LogoutView, PasswordChangeView, PasswordChangeDoneView, PasswordResetView, PasswordResetDoneView, PasswordResetConfirmView, PasswordResetCompleteView,
  safeNextUrl, INTERNAL_RESET_SESSION_TOKEN, RESET_URL_TOKEN,
} from "./views.js";
export { authUrls } from "./urls.js";
export { authContextProcessor } from "./contextProcessor.js";
