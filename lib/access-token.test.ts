import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { signAccessToken, verifyAccessToken } from "./access-token";

const secret = "a-test-secret-of-at-least-32-characters";
const encode = (value: string) => new TextEncoder().encode(value);

/** A token like ours, with the claims given (for the ones signAccessToken would never write). */
const handMade = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(randomUUID())
    .setIssuer("coffer")
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(encode(secret));

describe("access tokens", () => {
  it("carry the user, role and session", async () => {
    const claims = { userId: randomUUID(), role: "admin" as const, sessionId: randomUUID() };
    expect(await verifyAccessToken(await signAccessToken(claims, secret, 60), [secret])).toEqual(claims);
  });

  it("are refused without a session id, or with one that is not a UUID", async () => {
    for (const sid of [undefined, 42, "", "not-a-uuid", `${randomUUID()}'`]) {
      expect(
        await verifyAccessToken(await handMade({ role: "user", ...(sid === undefined ? {} : { sid }) }), [secret]),
      ).toBeNull();
    }
    expect(await verifyAccessToken(await handMade({ role: "user", sid: randomUUID() }), [secret])).not.toBeNull();
  });
});
