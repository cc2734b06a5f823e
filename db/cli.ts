/** `node dist/db/cli.js migrate|rollback|seed`: database chores run by npm scripts. */
import "../lib/env-file";
import { loadConfigOrExit } from "../lib/config";
import { upsertAdmin } from "./commands/upsert-admin";
import { createDb } from "./index";

async function main(command: string | undefined): Promise<void> {
  const config = loadConfigOrExit();
  const db = createDb(config.DATABASE_URL);
  try {
    switch (command) {
      case "migrate": {
        const [batch, names] = await db.migrate.latest();
        console.log(names.length ? `migrated batch ${batch}: ${names.join(", ")}` : "database is up to date");
        break;
      }
      case "rollback": {
        const [batch, names] = await db.migrate.rollback();
        console.log(names.length ? `rolled back batch ${batch}: ${names.join(", ")}` : "nothing to roll back");
        break;
      }
      case "seed": {
        if (!config.ADMIN_EMAIL || !config.ADMIN_PASSWORD) {
          console.log("ADMIN_EMAIL or ADMIN_PASSWORD not set: no admin seeded");
          break;
        }
        const { user, change } = await upsertAdmin({
          db,
          email: config.ADMIN_EMAIL,
          password: config.ADMIN_PASSWORD,
          quotaBytes: config.DEFAULT_QUOTA_BYTES,
        });
        console.log(`admin ${user.email}: ${change}`);
        break;
      }
      default:
        console.error("usage: cli.js migrate|rollback|seed");
        process.exitCode = 2;
    }
  } finally {
    await db.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
