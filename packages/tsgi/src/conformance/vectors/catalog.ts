import type { RequestVector } from "./requestVector.js";
import { CONNECTION_VECTORS } from "./table/connection.js";
import { FIELD_VECTORS } from "./table/fields.js";
import { FRAMING_VECTORS } from "./table/framing.js";
import { LIMIT_VECTORS } from "./table/limits.js";
import { REQUEST_LINE_VECTORS } from "./table/requestLine.js";
import { TARGET_VECTORS } from "./table/targets.js";

/** The request vectors by group, in the order the runner registers them. */
export const REQUEST_VECTOR_GROUPS: ReadonlyArray<{ title: string; vectors: readonly RequestVector[] }> = [
  { title: "request line", vectors: REQUEST_LINE_VECTORS },
  { title: "request target", vectors: TARGET_VECTORS },
  { title: "header fields", vectors: FIELD_VECTORS },
  { title: "body framing", vectors: FRAMING_VECTORS },
  { title: "limits", vectors: LIMIT_VECTORS },
  { title: "connections and pipelining", vectors: CONNECTION_VECTORS },
];

/** Every request vector: the one table every tsgi server is held to. */
export const REQUEST_VECTORS: readonly RequestVector[] = REQUEST_VECTOR_GROUPS.flatMap((group) => group.vectors);

/** Every vector id (what `skip` takes). */
export const REQUEST_VECTOR_IDS: readonly string[] = REQUEST_VECTORS.map((entry) => entry.id);
