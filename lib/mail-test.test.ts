import { explainMailError, sendTestMail } from "./mail-test";

const smtpUrl = "smtp://user:secret@mail.example.com:587";

describe("mail:test", () => {
  it("names the server without its password and says what to check for each failure", () => {
    const refused = explainMailError({ code: "ECONNREFUSED" }, smtpUrl);
    expect(refused).toContain("smtp://mail.example.com:587");
    expect(refused).not.toContain("secret");
    expect(explainMailError({ code: "EAUTH", response: "535 5.7.8 bad credentials" }, smtpUrl)).toMatch(
      /refused the login \(535 5\.7\.8 bad credentials\): check the user and password/,
    );
    expect(explainMailError({ code: "EENVELOPE", response: "553 sender not allowed" }, smtpUrl)).toContain(
      "check EMAIL_FROM",
    );
    expect(explainMailError({ code: "ESOCKET", message: "connect ECONNREFUSED 10.0.0.1:587" }, smtpUrl)).toContain(
      "nothing listens at",
    );
    expect(explainMailError({ code: "ETIMEDOUT" }, "smtps://mail.example.com")).toContain(
      "smtps://mail.example.com:465",
    );
  });

  it("reports success, or the problem in words", async () => {
    const sent: string[] = [];
    const ok = await sendTestMail(
      { send: async (mail) => void sent.push(mail.to) },
      { to: "ops@example.com", smtpUrl, appUrl: "https://files.example.com" },
    );
    expect(ok).toEqual({ ok: true });
    expect(sent).toEqual(["ops@example.com"]);
    const failed = await sendTestMail(
      {
        send: async () => {
          throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
        },
      },
      { to: "ops@example.com", smtpUrl, appUrl: "https://files.example.com" },
    );
    expect(failed).toEqual({
      ok: false,
      problem: expect.stringContaining("nothing listens at smtp://mail.example.com:587"),
    });
  });
});
