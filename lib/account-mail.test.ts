import { verificationLink, verificationMail } from "./account-mail";

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
