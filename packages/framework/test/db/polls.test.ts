/**
 * The Django tutorial's polls app (parts 1 to 5) on the framework: models, generic views,
 * getObjectOr404, the atomic vote, pagination, create/update/delete views and ATOMIC_REQUESTS,
 * through the test client, on SQLite and on PostgreSQL.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  Client,
  CreateView,
  DeleteView,
  DetailView,
  F,
  HttpResponseRedirect,
  ListView,
  UpdateView,
  getListOr404,
  getObjectOr404,
  getTsgiApplication,
  include,
  nonAtomicRequests,
  path,
  render,
  reverse,
  type HttpRequest,
} from "../../src/index.js";
import { BACKENDS, skipBackend, useDatabase } from "./backends.js";
import { ALL_MODELS, Author, Choice, Question } from "./fixtures/models.js";

class IndexView extends ListView {
  override templateName = "polls/index.html";
  override contextObjectName = "latestQuestionList";
  override paginateBy = 2;
  override getQueryset() {
    return Question.objects.filter({ pubDate__lte: new Date() }).orderBy("-pubDate");
  }
}
class QuestionDetail extends DetailView {
  override model = Question;
  override templateName = "polls/detail.html";
  override getQueryset() {
    return Question.objects.filter({ pubDate__lte: new Date() });
  }
}
class ResultsView extends DetailView {
  override model = Question;
  override templateName = "polls/results.html";
}
class QuestionCreate extends CreateView {
  override model = Question;
  override fields = ["questionText", "pubDate"];
  override successUrl = (question: { pk: unknown }) => `/polls/${String(question.pk)}/results/`;
}
class QuestionUpdate extends UpdateView {
  override model = Question;
  override fields = ["questionText"];
  override successUrl = "/polls/";
}
class AuthorDelete extends DeleteView {
  override model = Author;
  override successUrl = "/polls/";
}

async function vote(request: HttpRequest, { questionId }: { questionId: number }) {
  const question = await getObjectOr404(Question, { pk: questionId });
  const selected = (await request.POST()).get("choice");
  const updated = selected === undefined ? 0 : await Choice.objects.filter({ pk: Number(selected), question }).update({ votes: F("votes").add(1) });
  if (updated === 0) {
    return render(request, "polls/detail.html", { question, errorMessage: "You didn't select a choice." });
  }
  return new HttpResponseRedirect(reverse("polls:results", { kwargs: { pk: question.id } }));
}

async function choicesOf(_request: HttpRequest, { questionId }: { questionId: number }) {
  const choices = await getListOr404(Choice, { questionId });
  return new HttpResponseRedirect(`/polls/?n=${choices.length}`);
}

/** ATOMIC_REQUESTS: the author is written, then the view fails: nothing stays. */
async function failingWrite(): Promise<HttpResponseRedirect> {
  await Author.objects.create({ name: "rolled back" });
  throw new Error("the view failed after writing");
}
const failingWriteNonAtomic = nonAtomicRequests(async function failingWriteNonAtomic(): Promise<HttpResponseRedirect> {
  await Author.objects.create({ name: "kept" });
  throw new Error("the view failed after writing");
});

const TEMPLATES: Record<string, string> = {
  "polls/index.html": `{% for question in latestQuestionList %}<li><a href="/polls/{{ question.id }}/">{{ question.questionText }}</a></li>{% else %}<p>No polls are available.</p>{% endfor %}{% if isPaginated %}<span>Page {{ pageObj.number }} of {{ pageObj.numPages }}</span>{% endif %}`,
  "polls/detail.html": `<h1>{{ question.questionText }}</h1>{% if errorMessage %}<p><strong>{{ errorMessage }}</strong></p>{% endif %}{% for choice in question.choicesLoaded %}{{ choice }}{% endfor %}`,
  "polls/results.html": `<h1>{{ question.questionText }}</h1>{% for choice in choices %}<li>{{ choice.choiceText }} -- {{ choice.votes }} vote{{ "s" if choice.votes != 1 }}</li>{% endfor %}`,
  "polls/question_form.html": `{% for name, messages in errors %}<p class="error">{{ name }}: {{ messages | join(", ") }}</p>{% endfor %}<form method="post">{{ csrf_input }}</form>`,
  "library/author_confirm_delete.html": `<p>Are you sure you want to delete "{{ author.name }}"?</p>`,
};

describe.each(BACKENDS)("the polls app on %s", (backend) => {
  if (skipBackend(backend)) return test.skip("PostgreSQL is not installed");
  useDatabase(backend, ALL_MODELS, "polls");
  let dir: string;
  let client: Client;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "tsgi-polls-"));
    for (const [name, source] of Object.entries(TEMPLATES)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), source);
    }
    // The results page wants the choices too: a DetailView subclass adds them, with one query.
    class Results extends ResultsView {
      override async get(request: HttpRequest) {
        this.object = await this.getObject();
        const choices = await Choice.objects.filter({ question: this.object.pk as number }).orderBy("id").toArray();
        return render(request, "polls/results.html", this.getContextData({ choices }));
      }
    }
    const application = getTsgiApplication({
      SECRET_KEY: "polls",
      ALLOWED_HOSTS: ["testserver"],
      ATOMIC_REQUESTS: true,
      DATABASES: { default: { ENGINE: "sqlite", NAME: ":memory:" } }, // replaced by the suite's database through connections.override
      TEMPLATES: { DIRS: [dir] },
      urlpatterns: [
        path(
          "polls/",
          include({
            appName: "polls",
            urlpatterns: [
              path("", IndexView.asView(), { name: "index" }),
              path("new/", QuestionCreate.asView(), { name: "create" }),
              path("<int:pk>/", QuestionDetail.asView(), { name: "detail" }),
              path("<int:pk>/edit/", QuestionUpdate.asView(), { name: "edit" }),
              path("<int:pk>/results/", Results.asView(), { name: "results" }),
              path("<int:questionId>/vote/", vote, { name: "vote" }),
              path("<int:questionId>/choices/", choicesOf, { name: "choices" }),
              path("authors/<int:pk>/delete/", AuthorDelete.asView(), { name: "author-delete" }),
              path("fail/", failingWrite),
              path("fail-non-atomic/", failingWriteNonAtomic),
            ],
          }),
        ),
      ],
    });
    client = new Client(application, { raiseRequestException: false });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const now = Date.now();
  const create = (text: string, days: number) => Question.objects.create({ questionText: text, pubDate: new Date(now + days * 86_400_000) });

  test("index: no polls, then published ones only, newest first, paginated (page out of range is a 404)", async () => {
    const empty = await client.get("/polls/");
    expect(empty.status).toBe(200);
    expect(empty.text()).toContain("No polls are available.");
    expect(empty.context.latestQuestionList).toEqual([]);
    await create("Past question 1.", -30);
    await create("Past question 2.", -5);
    await create("Past question 3.", -1);
    await create("Future question.", 30);
    const first = await client.get("/polls/");
    expect((first.context.latestQuestionList as Question[]).map((q) => q.questionText)).toEqual(["Past question 3.", "Past question 2."]);
    expect(first.text()).toContain("Page 1 of 2");
    const second = await client.get("/polls/?page=2");
    expect((second.context.latestQuestionList as Question[]).map((q) => q.questionText)).toEqual(["Past question 1."]);
    expect((await client.get("/polls/?page=last")).context.pageObj).toMatchObject({ number: 2 });
    expect((await client.get("/polls/?page=3")).status).toBe(404);
    expect((await client.get("/polls/?page=zero")).status).toBe(404);
  });

  test("detail: a future question is a 404, a past one is shown", async () => {
    const future = await create("Future question.", 5);
    const past = await create("Past Question.", -5);
    expect((await client.get(`/polls/${future.id}/`)).status).toBe(404);
    const response = await client.get(`/polls/${past.id}/`);
    expect(response.status).toBe(200);
    expect(response.text()).toContain("Past Question.");
    expect(response.templates).toContain("polls/detail.html");
    expect((await client.get(`/polls/${past.id + 1000}/`)).status).toBe(404);
  });

  test("vote: F() increments, a missing choice re-renders with an error, a missing question is a 404", async () => {
    const question = await create("What's up?", -1);
    const [notMuch, sky] = [await Choice.objects.create({ question, choiceText: "Not much" }), await Choice.objects.create({ question, choiceText: "The sky" })];
    const voted = await client.post(`/polls/${question.id}/vote/`, { choice: String(sky.id) }, { follow: true });
    expect(voted.redirectChain).toEqual([[`/polls/${question.id}/results/`, 302]]);
    expect(voted.text()).toContain("The sky -- 1 vote<");
    // Concurrent votes, as several visitors at once: none is lost.
    await Promise.all(Array.from({ length: 10 }, () => client.post(`/polls/${question.id}/vote/`, { choice: String(notMuch.id) })));
    await notMuch.refreshFromDb();
    expect(notMuch.votes).toBe(10);
    const missing = await client.post(`/polls/${question.id}/vote/`, {});
    expect(missing.status).toBe(200);
    expect(missing.text()).toContain("You didn&#39;t select a choice.");
    expect((await client.post("/polls/999999/vote/", { choice: "1" })).status).toBe(404);
    expect((await client.get(`/polls/${question.id}/choices/`)).url).toBe("/polls/?n=2");
    const lonely = await create("No choices", -1);
    expect((await client.get(`/polls/${lonely.id}/choices/`)).status).toBe(404);
  });

  test("create, update and delete views", async () => {
    const created = await client.post("/polls/new/", { questionText: "Made by a form?", pubDate: "2026-01-02T03:04:05Z" });
    expect(created.status).toBe(302);
    const made = await Question.objects.get({ questionText: "Made by a form?" });
    expect(made.pubDate.toISOString()).toBe("2026-01-02T03:04:05.000Z");
    expect(created.url).toBe(`/polls/${made.id}/results/`);
    const invalid = await client.post("/polls/new/", { questionText: "x".repeat(201), pubDate: "not a date" });
    expect(invalid.status).toBe(200);
    expect(invalid.text()).toContain("questionText: Ensure this value has at most 200 characters (it has 201).");
    expect(invalid.text()).toContain("pubDate: Enter a valid date/time.");
    expect((await client.post("/polls/new/", {})).text()).toContain("questionText: This field is required.");
    expect((await client.get("/polls/new/")).status).toBe(200);
    expect((await client.post(`/polls/${made.id}/edit/`, { questionText: "Edited" })).url).toBe("/polls/");
    await made.refreshFromDb();
    expect(made.questionText).toBe("Edited");
    expect((await client.post("/polls/999999/edit/", { questionText: "x" })).status).toBe(404);
    const author = await Author.objects.create({ name: "Ann" });
    expect((await client.get(`/polls/authors/${author.id}/delete/`)).text()).toMatch(/Are you sure you want to delete (&quot;|")Ann(&quot;|")\?/);
    expect((await client.post(`/polls/authors/${author.id}/delete/`)).url).toBe("/polls/");
    expect(await Author.objects.filter({ pk: author.id }).exists()).toBe(false);
  });

  test("ATOMIC_REQUESTS: a view that fails after writing leaves nothing; nonAtomicRequests opts out", async () => {
    expect((await client.get("/polls/fail/")).status).toBe(500);
    expect(await Author.objects.filter({ name: "rolled back" }).exists()).toBe(false);
    expect((await client.get("/polls/fail-non-atomic/")).status).toBe(500);
    expect(await Author.objects.filter({ name: "kept" }).exists()).toBe(true);
  });
});
