/**
 * What the auth layer needs of a user (Django's `AbstractBaseUser` + `PermissionsMixin`
 * fields). The `User` model of `contrib/auth` is one; a project may bring its own through
 * its own authentication backend.
 */
export interface AuthUser {
  readonly pk: number | string;
  username: string;
  email: string;
  /** The password hash (`pbkdf2_sha256$...`), or an unusable `!...` one. */
  password: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  lastLogin: Date | null;
  readonly isAuthenticated: true;
  readonly isAnonymous: false;
}

/**
 * The visitor who is not logged in (Django's `AnonymousUser`): `request.user` when no
 * one is, with `isAuthenticated` false and no permissions.
 *
 * @example
 * if (!request.user.isAuthenticated) return redirectToLogin(request);
 */
export class AnonymousUser {
  readonly pk = null;
  readonly id = null;
  readonly username = "";
  readonly email = "";
  readonly isActive = false;
  readonly isStaff = false;
  readonly isSuperuser = false;
  readonly isAuthenticated = false;
  readonly isAnonymous = true;

  toString(): string {
    return "AnonymousUser";
  }
}

/** `request.user`: a user, or the anonymous one. */
export type RequestUser = AuthUser | AnonymousUser;

/** Narrowing helper. @example if (isAuthenticatedUser(user)) user.email; */
export function isAuthenticatedUser(user: RequestUser | null | undefined): user is AuthUser {
  return user !== null && user !== undefined && user.isAuthenticated === true;
}
