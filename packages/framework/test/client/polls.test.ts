import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationMiddleware, ChoiceField, Client, CsrfViewMiddleware, F, Form, Http404, HttpResponseRedirect, MD5PasswordHasher, ModelForm, RadioSelect, SessionMiddleware,
  assertContains, assertRedirects, assertTemplateUsed, getTsgiApplication, include, loginRequired, models, path, render, reverse, type HttpRequest,
} from "../../src/index.js";
import { Group, Permission, User, authContextProcessor, authUrls, createUser } from "../../src/contrib/auth/index.js";
import { Choice, Question } from "../db/fixtures/models.js";

/** The vote form of the polls tutorial, built with Form: the choices come from the question. */
class VoteForm extends Form.define({ choice: new ChoiceField({ choices: [], widget: new RadioSelect(), errorMessages: { required: "You didn't select a choice." } }) }) {}

async function getQuestion(id: number) {
  const question = await Question.objects.filter({ pk: id }).first();
  if (question === undefined) throw new Http404("No question matches the given query.");
  return question;
}

async function voteForm(request: HttpRequest, id: number) {
  const form = await VoteForm.fromRequest(request);
  const choices = await questionChoices(id);
  form.fields.choice.choices = choices.map((c) => [String(c.pk), c.choiceText] as const);
  return form;
}
const questionChoices = (id: number) => Choice.objects.filter({ questionId: id }).orderBy("id").toArray();

async function detail(request: HttpRequest, { id }: { id: number }) {
  const question = await getQuestion(id);
  return render(request, "polls/detail.html", { question, form: await voteForm(request, id) });
}

async function vote(request: HttpRequest, { id }: { id: number }) {
  const question = await getQuestion(id);
  const form = await voteForm(request, id);
  if (!(await form.isValid())) return render(request, "polls/detail.html", { question, form }, { status: 400 });
  await Choice.objects.filter({ pk: Number(form.cleanedData.choice) }).update({ votes: F("votes").add(1) });
  return new HttpResponseRedirect(reverse("polls:results", { args: [id] }));
}

async function results(request: HttpRequest, { id }: { id: number }) {
  const question = await getQuestion(id);
  return render(request, "polls/results.html", { question, choices: await questionChoices(id) });
}

const QuestionForm = ModelForm.forModel(Question, { fields: ["questionText", "pubDate"] });

const app = getTsgiApplication({
  SECRET_KEY: "polls-secret-".padEnd(50, "p"),
  ALLOWED_HOSTS: ["testserver"],
  MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware, AuthenticationMiddleware],
  SESSION_FILE_PATH: mkdtempSync(join(tmpdir(), "polls-sessions-")),
  PASSWORD_HASHERS: [new MD5PasswordHasher()],
  TEMPLATES: { DIRS: [fileURLToPath(new URL("./polls-templates/", import.meta.url))], OPTIONS: { contextProcessors: [authContextProcessor] } },
  urlpatterns: [
    path("accounts/", include(authUrls())),
    path("polls/", include({
      appName: "polls",
      urlpatterns: [
        path("<int:id>/", detail, { name: "detail" }),
        path("<int:id>/vote/", vote, { name: "vote" }),
        path("<int:id>/results/", loginRequired(results), { name: "results" }),
      ],
    })),
  ],
});

let question: InstanceType<typeof Question>;
let choices: InstanceType<typeof Choice>[];

beforeAll(async () => {
  await models.connections.override("default", { ENGINE: "sqlite", NAME: ":memory:" });
  await models.createTables([Question, Choice, Permission, Group, User]);
  const form = new QuestionForm({ questionText: "What's new?", pubDate: "2026-12-01T10:00" });
  expect(await form.isValid()).toBe(true);
  question = (await form.save()) as InstanceType<typeof Question>;
  choices = [await Choice.objects.create({ question, choiceText: "Not much" }), await Choice.objects.create({ question, choiceText: "The sky" })];
  await createUser("voter", "v@example.com", "voter-pass-1");
});
afterAll(() => models.connections.restore("default"));

describe("the polls app, tested with Client", () => {
  it("shows the vote form with the question's choices", async () => {
    const response = await new Client(app).get(`/polls/${question.pk}/`);
    assertTemplateUsed(response, "polls/detail.html");
    assertContains(response, "What&#39;s new?");
    assertContains(response, `value="${choices[1]?.pk}"`);
    expect((await new Client(app).get("/polls/999/")).status).toBe(404);
  });

  it("a vote without a choice, or with another question's choice, is refused", async () => {
    const client = new Client(app);
    const empty = await client.post(`/polls/${question.pk}/vote/`, {});
    expect(empty.status).toBe(400);
    assertContains(empty, "You didn&#39;t select a choice.", { status: 400 });
    const foreign = await client.post(`/polls/${question.pk}/vote/`, { choice: "999" });
    assertContains(foreign, "Select a valid choice. 999 is not one of the available choices.", { status: 400 });
  });

  it("results need a login; a vote then shows in them", async () => {
    const client = new Client(app);
    const voted = await client.post(`/polls/${question.pk}/vote/`, { choice: String(choices[1]?.pk) }, { follow: true });
    expect(voted.redirectChain).toEqual([[`/polls/${question.pk}/results/`, 302], [`/accounts/login/?next=/polls/${question.pk}/results/`, 302]]);
    assertTemplateUsed(voted, "registration/login.html");

    const loggedIn = await client.post(`/accounts/login/`, { username: "voter", password: "voter-pass-1", next: `/polls/${question.pk}/results/` }, { follow: true });
    assertRedirects(loggedIn, `/polls/${question.pk}/results/`);
    assertContains(loggedIn, "The sky -- 1 vote</li>");
    assertContains(loggedIn, "Not much -- 0 votes</li>");
    assertContains(loggedIn, "Seen by voter");
  });
});
