import { currentContext } from "../handler/requestContext.js";
import type { Settings } from "../settings/types.js";
import { getBackends } from "./backends.js";
import { isAuthenticatedUser, type RequestUser } from "./user.js";

/**
 * Every permission of a user, `app.codename` strings (Django's `get_all_permissions`),
 * from every backend; none for inactive or anonymous users.
 *
 * @example
 * await getAllPermissions(user); // Set { "polls.add_question", ... }
 */
export async function getAllPermissions(user: RequestUser, settings: Settings | undefined = currentContext()?.settings): Promise<Set<string>> {
  const result = new Set<string>();
  if (!isAuthenticatedUser(user) || !user.isActive || settings === undefined) return result;
  for (const backend of getBackends(settings)) {
    for (const perm of (await backend.getAllPermissions?.(user)) ?? []) result.add(perm);
  }
  return result;
}

/**
 * Whether the user has a permission (Django's `user.has_perm`): an active superuser has all.
 *
 * @example
 * if (await hasPerm(request.user, "polls.change_question")) ...
 */
export async function hasPerm(user: RequestUser, perm: string, settings?: Settings): Promise<boolean> {
  if (!isAuthenticatedUser(user) || !user.isActive) return false;
  if (user.isSuperuser) return true;
  return (await getAllPermissions(user, settings)).has(perm);
}

/** Whether the user has every one of the permissions. @example await hasPerms(user, ["polls.add_question", "polls.view_question"]) */
export async function hasPerms(user: RequestUser, perms: readonly string[], settings?: Settings): Promise<boolean> {
  if (!isAuthenticatedUser(user) || !user.isActive) return false;
  if (user.isSuperuser) return true;
  const all = await getAllPermissions(user, settings);
  return perms.every((perm) => all.has(perm));
}

/** Whether the user has any permission in the app. @example await hasModulePerms(user, "polls") */
export async function hasModulePerms(user: RequestUser, app: string, settings?: Settings): Promise<boolean> {
  if (!isAuthenticatedUser(user) || !user.isActive) return false;
  if (user.isSuperuser) return true;
  return [...(await getAllPermissions(user, settings))].some((perm) => perm.startsWith(`${app}.`));
}
