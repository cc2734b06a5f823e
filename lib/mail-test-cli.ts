/**
 * `pnpm mail:test <address>`: sends one test mail through SMTP_URL from EMAIL_FROM (the settings of
 * .env or the process's own) and says what failed when it did. Exit 0 when the relay took the mail,
 * 1 when it did not, 2 for a missing or bad address.
 */
import "./env-file";
import { loadConfigOrExit } from "./config";
import { sendTestMail } from "./mail-test";
import { Mailer } from "./mailer";

async function main(): Promise<number> {
  const to = process.argv[2];
  if (!to || !/^[^@\s]+@[^@\s]+$/.test(to)) {
    console.error("usage: pnpm mail:test <address>");
    return 2;
  }
  const config = loadConfigOrExit();
  const mailer = new Mailer(config.SMTP_URL, config.EMAIL_FROM);
  try {
    const result = await sendTestMail(mailer, { to, smtpUrl: config.SMTP_URL, appUrl: config.APP_URL });
    if (result.ok) {
      console.log(
        `mail:test: the relay accepted a test mail to ${to} from ${config.EMAIL_FROM}; check that it arrived`,
      );
      return 0;
    }
    console.error(`mail:test: ${result.problem}`);
    return 1;
  } finally {
    mailer.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
