/**
 * The pages app's models (Django's models.py). After changing them, run
 * `__RUN__ manage makemigrations` (writes pages/migrations/000N_*.ts, commit it)
 * and `__RUN__ manage migrate` (applies it to db.sqlite3).
 */
import { defineModel, models, type InstanceOf } from "@tsgi/framework";

export const Note = defineModel("pages", "Note", {
  fields: {
    text: models.CharField({ maxLength: 200 }),
    createdAt: models.DateTimeField({ autoNowAdd: true }),
  },
  meta: { ordering: ["-createdAt", "-pk"] },
  str: (note) => note.text,
});
export type Note = InstanceOf<typeof Note>;
