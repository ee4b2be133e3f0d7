/** Sign-up: Django's UserCreationForm, then logged in straight away. */
import { HttpResponseRedirect, login, messages, render, type HttpRequest } from "@tsgi/framework";
import { UserCreationForm } from "@tsgi/framework/auth";

export async function signup(request: HttpRequest) {
  const form = await UserCreationForm.fromRequest(request);
  if (request.method === "POST" && (await form.isValid())) {
    const user = await form.save();
    await login(request, user);
    messages.success(request, `Welcome, ${user.username}!`);
    return new HttpResponseRedirect("/");
  }
  return render(request, "accounts/signup.html", { form });
}
