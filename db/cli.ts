/** `node dist/db/cli.js migrate|rollback|seed|reset-admin-password`: database chores run by npm scripts. */
import "../lib/env-file";
import { loadConfigOrExit } from "../lib/config";
import { resetAdminPassword, seedAdmin } from "./commands/upsert-admin";
import { configuredPlans, seedPlans } from "./commands/plans/plans";
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
        const plans = await seedPlans(db, configuredPlans(config));
        console.log(plans.length ? `plans created: ${plans.join(", ")}` : "plans: unchanged");
        if (!config.ADMIN_EMAIL || !config.ADMIN_PASSWORD) {
          console.log("ADMIN_EMAIL or ADMIN_PASSWORD not set: no admin seeded");
          break;
        }
        const { user, change } = await seedAdmin({
          db,
          email: config.ADMIN_EMAIL,
          password: config.ADMIN_PASSWORD,
          quotaBytes: config.DEFAULT_QUOTA_BYTES,
        });
        const notes = {
          created: "created",
          unchanged: "unchanged (an existing admin keeps its password; see reset-admin-password)",
          not_an_admin: "left alone: the account is not an admin (promote it with PATCH /admin/users/:id)",
        };
        console.log(`admin ${user.email}: ${notes[change]}`);
        break;
      }
      case "reset-admin-password": {
        if (!config.ADMIN_EMAIL || !config.ADMIN_PASSWORD) {
          console.error("set ADMIN_EMAIL and ADMIN_PASSWORD to the admin and its new password");
          process.exitCode = 1;
          break;
        }
        if (await resetAdminPassword({ db, email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD })) {
          console.log(`admin ${config.ADMIN_EMAIL}: password set`);
        } else {
          console.error(`no admin has the e-mail ${config.ADMIN_EMAIL}`);
          process.exitCode = 1;
        }
        break;
      }
      default:
        console.error("usage: cli.js migrate|rollback|seed|reset-admin-password");
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
