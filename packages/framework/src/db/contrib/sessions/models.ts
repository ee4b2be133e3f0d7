import { defineModel } from "../../model/defineModel.js";
import type { InstanceOf } from "../../model/types.js";
import { CharField, DateTimeField, TextField } from "../../fields/scalar.js";

/** A stored session (Django's `django.contrib.sessions.models.Session`), table `tsgi_session`. */
export const Session = defineModel("sessions", "Session", {
  fields: {
    sessionKey: CharField({ maxLength: 40, primaryKey: true }),
    sessionData: TextField(),
    expireDate: DateTimeField({ dbIndex: true }),
  },
  meta: { dbTable: "tsgi_session" },
});
export type Session = InstanceOf<typeof Session>;
