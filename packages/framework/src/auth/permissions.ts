import { currentContext } from "../handler/requestContext.js";
import type { Settings } from "../settings/types.js";
import { getBackends } from "./backends.js";

/** What permission checks read of a user (a User instance, an AnonymousUser, `request.user`). */
export interface PermissionHolder {
  readonly pk: number | string | null;
  readonly isActive: boolean;
  readonly isSuperuser: boolean;
  readonly isAuthenticated?: boolean;
}

function isActiveUser(user: PermissionHolder): user is PermissionHolder & { readonly pk: number | string } {
  return user.isAuthenticated !== false && user.pk !== null && user.isActive;
}

/**
 * Every permission of a user, `app.codename` strings (Django's `get_all_permissions`),
 * from every backend; none for inactive or anonymous users.
 *
 * @example
 * await getAllPermissions(user); // Set { "polls.add_question", ... }
 */
export async function getAllPermissions(user: PermissionHolder, settings: Settings | undefined = currentContext()?.settings): Promise<Set<string>> {
  const result = new Set<string>();
  if (!isActiveUser(user) || settings === undefined) return result;
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
export async function hasPerm(user: PermissionHolder, perm: string, settings?: Settings): Promise<boolean> {
  if (!isActiveUser(user)) return false;
  if (user.isSuperuser) return true;
  return (await getAllPermissions(user, settings)).has(perm);
}

/** Whether the user has every one of the permissions. @example await hasPerms(user, ["polls.add_question", "polls.view_question"]) */
export async function hasPerms(user: PermissionHolder, perms: readonly string[], settings?: Settings): Promise<boolean> {
  if (!isActiveUser(user)) return false;
  if (user.isSuperuser) return true;
  const all = await getAllPermissions(user, settings);
  return perms.every((perm) => all.has(perm));
}

/** Whether the user has any permission in the app. @example await hasModulePerms(user, "polls") */
export async function hasModulePerms(user: PermissionHolder, app: string, settings?: Settings): Promise<boolean> {
  if (!isActiveUser(user)) return false;
  if (user.isSuperuser) return true;
  return [...(await getAllPermissions(user, settings))].some((perm) => perm.startsWith(`${app}.`));
}
