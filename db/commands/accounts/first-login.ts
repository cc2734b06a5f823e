import type { Knex } from "knex";

export const welcomeFolderName = "Welcome";

/**
 * Claims the user's first login and creates their "Welcome" folder. The claim is one conditional
 * UPDATE, so of any number of parallel first logins exactly one returns true and creates the folder.
 */
export async function claimFirstLogin(trx: Knex.Transaction, userId: string): Promise<boolean> {
  const claimed = await trx("users")
    .where({ id: userId })
    .whereNull("firstLoginAt")
    .update({ firstLoginAt: trx.fn.now() }, ["id"]);
  if (claimed.length === 0) return false;
  await trx("folders").insert({ ownerId: userId, parentId: null, name: welcomeFolderName }).onConflict().ignore();
  return true;
}
