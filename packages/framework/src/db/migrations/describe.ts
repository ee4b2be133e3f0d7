import { irreversibleReason } from "./reverse.js";
import type { Operation } from "./types.js";

/**
 * One line describing an operation, in Django's words (`makemigrations`, `migrate --plan`).
 *
 * @example
 * describeOperation({ type: "AddField", model: "Question", name: "slug", field }); // "Add field slug to question"
 */
export function describeOperation(operation: Operation): string {
  switch (operation.type) {
    case "CreateModel":
      return `Create model ${operation.name}`;
    case "DeleteModel":
      return `Delete model ${operation.name}`;
    case "RenameModel":
      return `Rename model ${operation.oldName} to ${operation.newName}`;
    case "AddField":
      return `Add field ${operation.name} to ${operation.model.toLowerCase()}`;
    case "RemoveField":
      return `Remove field ${operation.name} from ${operation.model.toLowerCase()}`;
    case "AlterField":
      return `Alter field ${operation.name} on ${operation.model.toLowerCase()}`;
    case "RenameField":
      return `Rename field ${operation.oldName} on ${operation.model.toLowerCase()} to ${operation.newName}`;
    case "AddIndex":
      return `Create index ${operation.index.name} on field(s) ${operation.index.fields.join(", ")} of model ${operation.model.toLowerCase()}`;
    case "RemoveIndex":
      return `Remove index ${operation.name} from ${operation.model.toLowerCase()}`;
    case "RunSQL":
      return "Raw SQL operation";
    case "RunCode":
      return "Raw code operation";
  }
}

/**
 * A `migrate --plan` line (Django's `describe_operation`): `Undo ` before each operation run
 * backwards, the SQL or the code's description after `->`, and `-> IRREVERSIBLE` for what cannot
 * be undone. `error` marks that last case.
 *
 * @example
 * describePlannedOperation({ type: "RunSQL", sql: "update t set n = 0" }, true); // { text: "Undo Raw SQL operation -> IRREVERSIBLE", error: true }
 */
export function describePlannedOperation(operation: Operation, backwards: boolean): { text: string; error: boolean } {
  const prefix = backwards ? "Undo " : "";
  const irreversible = backwards && irreversibleReason(operation) !== undefined;
  let action = "";
  if (irreversible) action = "IRREVERSIBLE";
  else if (operation.type === "RunSQL") action = oneLine((backwards ? operation.reverseSql : operation.sql) ?? "");
  else if (operation.type === "RunCode") action = operation.description ?? "";
  return { text: `${prefix}${describeOperation(operation)}${action === "" ? "" : ` -> ${action}`}`, error: irreversible };
}

function oneLine(statements: string | readonly string[]): string {
  return (typeof statements === "string" ? [statements] : statements).map((statement) => statement.replace(/\s*\n\s*/g, " ").trim()).filter((s) => s !== "").join("; ");
}
