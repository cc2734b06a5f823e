import { getConfig, resetConfig } from "./config";
import { Mailer } from "./mailer";
import { findMail } from "../test/mailpit";

describe("Mailer through the local SMTP server", () => {
  it("delivers a mail that Mailpit's API then returns", async () => {
    resetConfig();
    const config = getConfig();
    const mailer = new Mailer(config.SMTP_URL, config.EMAIL_FROM);
    const to = `mail-${Date.now()}@example.com`;
    try {
      await mailer.send({ to, subject: "Ünïcode subject", text: "Body line ✓" });
    } finally {
      mailer.close();
    }
    const mail = await findMail(to);
    expect(mail.subject).toBe("Ünïcode subject");
    expect(mail.text.trim()).toBe("Body line ✓");
    expect(mail.from).toContain("no-reply@coffer.local");
  });
});
