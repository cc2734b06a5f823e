import { SignJWT, jwtVerify } from "jose";

export interface AccessClaims {
  userId: string;
  role: "user" | "admin";
  /** The login session (refresh-token family) the token belongs to: it dies with that session. */
  sessionId: string;
}

const encoder = new TextEncoder();
const issuer = "coffer";
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A short-lived HS256 access token for one user's session (claim `sid`). */
export async function signAccessToken(claims: AccessClaims, secret: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({ role: claims.role, sid: claims.sessionId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.userId)
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(encoder.encode(secret));
}

/**
 * The claims of a valid token signed with any of `secrets` (current first, then the previous one
 * during a rotation), or null for a tampered, expired or foreign token, and for one without a
 * session (`sid`), which no session check could end.
 */
export async function verifyAccessToken(token: string, secrets: string[]): Promise<AccessClaims | null> {
  for (const secret of secrets) {
    try {
      const { payload } = await jwtVerify(token, encoder.encode(secret), { issuer, algorithms: ["HS256"] });
      if (typeof payload.sub !== "string" || (payload.role !== "user" && payload.role !== "admin")) return null;
      if (typeof payload.sid !== "string" || !uuid.test(payload.sid)) return null;
      return { userId: payload.sub, role: payload.role, sessionId: payload.sid };
    } catch {
      // Try the next secret.
    }
  }
  return null;
}
