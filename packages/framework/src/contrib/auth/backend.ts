import { ObjectDoesNotExist } from "../../db/errors.js";
import type { HttpRequest } from "../../http/request.js";
import { makePassword } from "../../auth/hashers.js";
import type { AuthBackend, Credentials } from "../../auth/backends.js";
import type { AuthUser } from "../../auth/user.js";
import { Group, Permission, User } from "./models.js";

const permissionCache = new WeakMap<object, Promise<ReadonlySet<string>>>();

/**
 * Checks usernames and passwords against the User model (Django's `ModelBackend`):
 * inactive users are refused; an unknown username still spends the time of a password
 * hash, so timing does not reveal which usernames exist. Permissions are the user's own
 * plus those of their groups.
 *
 * @example
 * defineSettings({ AUTHENTICATION_BACKENDS: [new ModelBackend()], ... })
 */
export class ModelBackend implements AuthBackend {
  readonly name = "ModelBackend";

  async authenticate(_request: HttpRequest | undefined, credentials: Credentials): Promise<User | null> {
    const username = credentials.username;
    const password = credentials.password;
    if (typeof username !== "string" || typeof password !== "string") return null;
    let user: User;
    try {
      user = await User.objects.get({ username });
    } catch (error) {
      if (!(error instanceof ObjectDoesNotExist)) throw error;
      await makePassword(password);
      return null;
    }
    if ((await user.checkPassword(password)) && this.userCanAuthenticate(user)) return user;
    return null;
  }

  userCanAuthenticate(user: AuthUser): boolean {
    return user.isActive;
  }

  async getUser(id: string): Promise<User | null> {
    if (!/^\d+$/.test(id)) return null;
    try {
      return await User.objects.get({ pk: Number(id) });
    } catch (error) {
      if (!(error instanceof ObjectDoesNotExist)) throw error;
      return null;
    }
  }

  getAllPermissions(user: { readonly pk: number | string }): Promise<ReadonlySet<string>> {
    let cached = permissionCache.get(user);
    if (cached === undefined) {
      cached = this.#load(user.pk);
      permissionCache.set(user, cached);
    }
    return cached;
  }

  async #load(pk: number | string): Promise<ReadonlySet<string>> {
    const perms = new Set<string>();
    const user = await User.objects.get({ pk: Number(pk) });
    const own = (await user.m2m("userPermissions").all().toArray()) as Permission[];
    for (const perm of own) perms.add(`${perm.app}.${perm.codename}`);
    const groups = (await user.m2m("groups").all().toArray()) as Group[];
    for (const group of groups) {
      const groupPerms = (await group.m2m("permissions").all().toArray()) as Permission[];
      for (const perm of groupPerms) perms.add(`${perm.app}.${perm.codename}`);
    }
    return perms;
  }
}
