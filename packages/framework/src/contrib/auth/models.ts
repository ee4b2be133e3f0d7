import { ObjectDoesNotExist } from "../../db/errors.js";
import * as models from "../../db/index.js";
import { defineModel, type InstanceOf } from "../../db/index.js";
import { checkPassword, makePassword, isPasswordUsable } from "../../auth/hashers.js";
import { getAllPermissions, hasPerm, hasPerms, hasModulePerms } from "../../auth/permissions.js";

/**
 * A permission, `app.codename` (Django's `Permission`; the app and model are stored by name
 * rather than through ContentType). Each model gets `add_`, `change_`, `delete_` and `view_`
 * ones, created by `createPermissions()` or on first use by `getPermission()`.
 */
export const Permission = defineModel("auth", "Permission", {
  fields: {
    name: models.CharField({ maxLength: 255 }),
    app: models.CharField({ maxLength: 100 }),
    model: models.CharField({ maxLength: 100 }),
    codename: models.CharField({ maxLength: 100 }),
  },
  meta: { uniqueTogether: [["app", "codename"]], ordering: ["app", "model", "codename"] },
  str: (perm) => `${perm.app} | ${perm.model} | ${perm.name}`,
  methods: {
    /** `app.codename`, as `hasPerm` takes it. */
    get perm(): string {
      return `${this.app}.${this.codename}`;
    },
  },
});
export type Permission = InstanceOf<typeof Permission>;

/** A named set of permissions given to its users (Django's `Group`). */
export const Group = defineModel("auth", "Group", {
  fields: {
    name: models.CharField({ maxLength: 150, unique: true }),
    permissions: models.ManyToManyField(() => Permission, { blank: true, relatedName: "groups" }),
  },
  str: (group) => group.name,
});
export type Group = InstanceOf<typeof Group>;

/**
 * The user (Django's `django.contrib.auth.models.User`): username, names, email, a
 * password hash, the active/staff/superuser flags, last login, date joined, groups and
 * direct permissions.
 *
 * @example
 * const user = await User.createUser("alice", "alice@example.com", "correct horse battery staple");
 * await user.checkPassword("correct horse battery staple"); // true
 */
export const User = defineModel("auth", "User", {
  fields: {
    password: models.CharField({ maxLength: 128, verboseName: "password" }),
    lastLogin: models.DateTimeField({ null: true, blank: true, verboseName: "last login" }),
    isSuperuser: models.BooleanField({ default: false, verboseName: "superuser status", helpText: "Designates that this user has all permissions without explicitly assigning them." }),
    username: models.CharField({ maxLength: 150, unique: true, helpText: "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only." }),
    firstName: models.CharField({ maxLength: 150, blank: true, default: "", verboseName: "first name" }),
    lastName: models.CharField({ maxLength: 150, blank: true, default: "", verboseName: "last name" }),
    email: models.EmailField({ maxLength: 254, blank: true, default: "", verboseName: "email address" }),
    isStaff: models.BooleanField({ default: false, verboseName: "staff status", helpText: "Designates whether the user can log into this admin site." }),
    isActive: models.BooleanField({ default: true, verboseName: "active", helpText: "Designates whether this user should be treated as active. Unselect this instead of deleting accounts." }),
    dateJoined: models.DateTimeField({ default: () => new Date(), verboseName: "date joined" }),
    groups: models.ManyToManyField(() => Group, { blank: true, relatedName: "users" }),
    userPermissions: models.ManyToManyField(() => Permission, { blank: true, relatedName: "users" }),
  },
  str: (user) => user.username,
  methods: {
    get isAuthenticated(): true {
      return true;
    },
    get isAnonymous(): false {
      return false;
    },
    /** Stores the hash of `raw` (not saved: call `save()`); null makes the password unusable. */
    async setPassword(raw: string | null): Promise<void> {
      this.password = await makePassword(raw);
    },
    /** Checks `raw` in constant time; an outdated hash is upgraded and saved. */
    async checkPassword(raw: string): Promise<boolean> {
      return checkPassword(raw, this.password, async (fresh) => {
        this.password = await makePassword(fresh);
        await this.save({ updateFields: ["password"] });
      });
    },
    async setUnusablePassword(): Promise<void> {
      this.password = await makePassword(null);
    },
    hasUsablePassword(): boolean {
      return isPasswordUsable(this.password);
    },
    getUsername(): string {
      return this.username;
    },
    getFullName(): string {
      return `${this.firstName} ${this.lastName}`.trim();
    },
    getShortName(): string {
      return this.firstName;
    },
    hasPerm(perm: string): Promise<boolean> {
      return hasPerm(holder(this), perm);
    },
    hasPerms(perms: readonly string[]): Promise<boolean> {
      return hasPerms(holder(this), perms);
    },
    hasModulePerms(app: string): Promise<boolean> {
      return hasModulePerms(holder(this), app);
    },
    getAllPermissions(): Promise<Set<string>> {
      return getAllPermissions(holder(this));
    },
  },
});
export type User = InstanceOf<typeof User>;

/** The fields permission checks read, copied so the model's `this` type is not needed. */
function holder(user: { pk: number | string; isActive: boolean; isSuperuser: boolean }): { pk: number | string; isActive: boolean; isSuperuser: boolean } {
  return { pk: user.pk, isActive: user.isActive, isSuperuser: user.isSuperuser };
}

/** Options for {@link createUser}. */
export interface CreateUserOptions {
  firstName?: string;
  lastName?: string;
  isStaff?: boolean;
  isSuperuser?: boolean;
  isActive?: boolean;
}

/** Lower-cases the domain part of an email (Django's `normalize_email`). */
export function normalizeEmail(email: string | null | undefined): string {
  const text = (email ?? "").trim();
  const at = text.lastIndexOf("@");
  return at === -1 ? text : `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
}

/**
 * Creates and saves a user with a hashed password (Django's `User.objects.create_user`);
 * a null password makes it unusable.
 *
 * @example
 * const bob = await createUser("bob", "bob@example.com", "s3cret-pass");
 */
export async function createUser(username: string, email: string | null, password: string | null, options: CreateUserOptions = {}): Promise<User> {
  if (!username) throw new TypeError("The given username must be set");
  return User.objects.create({
    username: username.normalize("NFKC"),
    email: normalizeEmail(email),
    password: await makePassword(password),
    firstName: options.firstName ?? "",
    lastName: options.lastName ?? "",
    isStaff: options.isStaff ?? false,
    isSuperuser: options.isSuperuser ?? false,
    isActive: options.isActive ?? true,
  });
}

/** Creates a staff superuser (Django's `create_superuser`). @example await createSuperuser("admin", "admin@example.com", "pw") */
export async function createSuperuser(username: string, email: string | null, password: string | null, options: CreateUserOptions = {}): Promise<User> {
  if (options.isStaff === false) throw new TypeError("Superuser must have isStaff=true.");
  if (options.isSuperuser === false) throw new TypeError("Superuser must have isSuperuser=true.");
  return createUser(username, email, password, { ...options, isStaff: true, isSuperuser: true });
}

/** The four default actions of every model. */
export const DEFAULT_PERMISSIONS = ["add", "change", "delete", "view"] as const;

/**
 * Creates the add/change/delete/view permissions of every registered model that lacks them
 * (Django does this after `migrate`); returns how many were created.
 *
 * @example
 * await createPermissions();
 */
export async function createPermissions(): Promise<number> {
  let created = 0;
  for (const model of models.apps.all()) {
    const meta = model.meta;
    for (const action of DEFAULT_PERMISSIONS) {
      const codename = `${action}_${meta.name.toLowerCase()}`;
      const [, made] = await Permission.objects.getOrCreate({ app: meta.app, codename }, { name: `Can ${action} ${meta.verboseName}`, model: meta.name.toLowerCase() });
      if (made) created++;
    }
  }
  return created;
}

/**
 * The Permission row for `app.codename`, created when it is one of a registered model's defaults.
 *
 * @example
 * await user.m2m("userPermissions").add(await getPermission("polls.add_question"));
 */
export async function getPermission(perm: string): Promise<Permission> {
  const [app, codename] = perm.split(".", 2);
  if (!app || !codename) throw new TypeError(`A permission is "app.codename", e.g. "polls.add_question"; got ${JSON.stringify(perm)}.`);
  try {
    return await Permission.objects.get({ app, codename });
  } catch (error) {
    if (!(error instanceof ObjectDoesNotExist)) throw error;
    const match = /^(add|change|delete|view)_(.+)$/.exec(codename);
    const model = match ? models.apps.all().find((m) => m.meta.app === app && m.meta.name.toLowerCase() === match[2]) : undefined;
    if (match === null || model === undefined) throw new TypeError(`No permission ${perm}: create it with Permission.objects.create({ app, model, codename, name }).`);
    return Permission.objects.create({ app, codename, model: match[2] as string, name: `Can ${match[1]} ${model.meta.verboseName}` });
  }
}
