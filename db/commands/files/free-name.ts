import type { Knex } from "knex";
import { NAME_HOLDING_STATUSES } from "../../../lib/file-status";
import { alternativeName } from "../../../lib/names";

/**
 * `name`, or the first of "name (1)", "name (2)" … that no live item of the same kind uses in that
 * parent. Files and folders have separate namespaces, as the live-name indexes say.
 */
export async function freeName(
  trx: Knex.Transaction,
  kind: "file" | "folder",
  ownerId: string,
  parentId: string | null,
  name: string,
): Promise<string> {
  const query =
    kind === "folder"
      ? trx("folders").where({ owner_id: ownerId, parent_id: parentId }).whereNull("trashed_at")
      : trx("files")
          .where({ owner_id: ownerId, folder_id: parentId })
          .whereNull("trashed_at")
          .whereIn("status", NAME_HOLDING_STATUSES);
  const taken = new Set<string>(await query.pluck("name"));
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : alternativeName(name, n);
    if (!taken.has(candidate)) return candidate;
  }
}
