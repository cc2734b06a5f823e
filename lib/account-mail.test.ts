import {
  passwordNoticeMail,
  passwordResetLink,
  passwordResetMail,
  verificationLink,
  verificationMail,
} from "./account-mail";

describe("verification mail", () => {
  it("links to APP_URL/verify with the token, whatever trailing slashes APP_URL has", () => {
    expect(verificationLink("https://coffer.example/", "abc_-1")).toBe("https://coffer.example/verify?token=abc_-1");
    expect(verificationLink("https://x.example/app", "t")).toBe("https://x.example/app/verify?token=t");
  });

  it("carries the link and the lifetime", () => {
    const mail = verificationMail({ to: "a@b.co", name: null, appUrl: "http://h", token: "tok", ttlSeconds: 86400 });
    expect(mail.to).toBe("a@b.co");
    expect(mail.text).toContain("http://h/verify?token=tok");
    expect(mail.text).toContain("24 hours");
  });
});

describe("password mails", () => {
  it("links to APP_URL/reset with the token and says how long the link lives", () => {
    expect(passwordResetLink("https://coffer.example/", "abc_-1")).toBe("https://coffer.example/reset?token=abc_-1");
    const mail = passwordResetMail({ to: "a@b.co", name: "Ada", appUrl: "http://h", token: "tok", ttlSeconds: 3600 });
    expect(mail.to).toBe("a@b.co");
    expect(mail.text).toContain("http://h/reset?token=tok");
    expect(mail.text).toContain("expires in 1 hour.");
    expect(mail.text).toMatch(/^Hello Ada,/);
    expect(
      passwordResetMail({ to: "a@b.co", name: null, appUrl: "http://h", token: "t", ttlSeconds: 1800 }).text,
    ).toContain("expires in 30 minutes.");
  });

  it("tells the owner how the password changed, when and from where, and what to do if it was not them", () => {
    const at = new Date("2026-12-02T10:00:00Z");
    const reset = passwordNoticeMail({ to: "a@b.co", name: null, how: "reset", ip: "10.1.2.3", at });
    expect(reset.text).toContain("reset through an e-mailed link at 2026-12-02T10:00:00.000Z (from 10.1.2.3)");
    expect(reset.text).toContain("Every session was signed out.");
    const changed = passwordNoticeMail({ to: "a@b.co", name: null, how: "changed", ip: "10.1.2.3", at });
    expect(changed.text).toContain("Your other sessions were signed out.");
    expect(changed.text).toContain("Forgot password");
  });
});
