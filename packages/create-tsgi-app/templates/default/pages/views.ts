/** The first app's views: plain functions from a request to a response. */
import { JsonResponse, messages, render, HttpResponseRedirect, reverse, type HttpRequest } from "@tsgi/framework";
import { Note } from "./models.js";

/** GET /: the home page with the latest notes; POST adds one (the form is CSRF-protected). */
export async function home(request: HttpRequest) {
  if (request.method === "POST") {
    const text = (await request.POST()).get("text")?.trim().slice(0, 200);
    if (text) {
      await Note.objects.create({ text });
      messages.success(request, "Note saved.");
    } else {
      messages.error(request, "Write something first.");
    }
    // Post/Redirect/Get: a reload does not post twice.
    return new HttpResponseRedirect(reverse("pages:home"));
  }
  const notes = await Note.objects.all().slice(0, 20).toArray();
  return render(request, "pages/home.html", { project: "__PROJECT_NAME__", notes });
}

/** GET /about/: a second page. */
export async function about(request: HttpRequest) {
  return render(request, "pages/about.html");
}

/** GET /api/health/: a JSON endpoint for load balancers. */
export function health() {
  return new JsonResponse({ status: "ok" });
}
