import { ImproperlyConfigured } from "../exceptions.js";
import { HttpRequest } from "../http/request.js";
import { AnonymousUser, type RequestUser } from "./user.js";

declare module "../http/request.js" {
  interface HttpRequest {
    /** The logged-in user or an AnonymousUser; set by AuthenticationMiddleware. */
    readonly user: RequestUser;
    /** The user, loading it from the session if the middleware has not yet (Django 5's `auser()`). */
    auser(): Promise<RequestUser>;
  }
}

const users = new WeakMap<HttpRequest, RequestUser>();
const loaders = new WeakMap<HttpRequest, () => Promise<RequestUser>>();

/** Sets `request.user` (login, logout and the middleware do). */
export function setRequestUser(request: HttpRequest, user: RequestUser): void {
  users.set(request, user);
}

/** Installs how `request.auser()` loads the user (the middleware does). */
export function setUserLoader(request: HttpRequest, loader: () => Promise<RequestUser>): void {
  loaders.set(request, loader);
}

/** The user already known for the request, without loading. */
export function peekRequestUser(request: HttpRequest): RequestUser | undefined {
  return users.get(request);
}

if (!Object.getOwnPropertyDescriptor(HttpRequest.prototype, "user")) {
  Object.defineProperty(HttpRequest.prototype, "user", {
    configurable: true,
    get(this: HttpRequest): RequestUser {
      const user = users.get(this);
      if (user !== undefined) return user;
      if (loaders.has(this)) {
        throw new ImproperlyConfigured("request.user is not loaded yet: use `await request.auser()` in middleware that runs before AuthenticationMiddleware has finished.");
      }
      throw new ImproperlyConfigured("request.user needs AuthenticationMiddleware: add it to MIDDLEWARE after SessionMiddleware.");
    },
  });
  Object.defineProperty(HttpRequest.prototype, "auser", {
    configurable: true,
    writable: true,
    async value(this: HttpRequest): Promise<RequestUser> {
      const known = users.get(this);
      if (known !== undefined) return known;
      const loader = loaders.get(this);
      if (loader === undefined) throw new ImproperlyConfigured("request.auser() needs AuthenticationMiddleware: add it to MIDDLEWARE after SessionMiddleware.");
      const user = await loader();
      users.set(this, user);
      return user;
    },
  });
}

export { AnonymousUser };
