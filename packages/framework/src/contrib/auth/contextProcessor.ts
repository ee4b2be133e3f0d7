import { getAllPermissions } from "../../auth/permissions.js";
import type { HttpRequest } from "../../http/request.js";

/**
 * Django's `auth` context processor: `user` and `perms` in every template rendered with a
 * request. `perms` is a set of `app.codename` strings (loaded only for a logged-in user):
 * `{% if perms.has("polls.add_question") %}`.
 *
 * @example
 * TEMPLATES: { OPTIONS: { contextProcessors: [authContextProcessor] } }
 */
export async function authContextProcessor(request: HttpRequest): Promise<Record<string, unknown>> {
  const user = await request.auser();
  const perms = user.isAuthenticated ? await getAllPermissions(user, request.settings) : new Set<string>();
  if (user.isAuthenticated && user.isSuperuser) return { user, perms: { has: () => true } };
  return { user, perms };
}
