/** The guestbook's model: one row per signature, in SQLite (`data/db.sqlite3`). */
import { defineModel, models, type InstanceOf } from "@tsgi/framework";

/** What is kept about an uploaded file (its bytes are in `data/uploads/`). */
export interface AttachmentInfo {
  name: string;
  contentType: string;
  size: number;
  storedAs: string;
}

export const GuestbookEntry = defineModel("guestbook", "GuestbookEntry", {
  fields: {
    id: models.UUIDField({ primaryKey: true }),
    name: models.CharField({ maxLength: 100 }),
    message: models.TextField(),
    createdAt: models.DateTimeField({ autoNowAdd: true, dbIndex: true }),
    attachment: models.JSONField<AttachmentInfo>({ null: true }),
  },
  meta: { ordering: ["-createdAt"], dbTable: "guestbook_entry" },
  str: (entry) => `${entry.name}: ${entry.message}`,
});
export type GuestbookEntry = InstanceOf<typeof GuestbookEntry>;
