import { SignJWT, jwtVerify } from "jose";

export interface AccessClaims {
  userId: string;
  role: "user" | "admin";
}

const encoder = new TextEncoder();
const issuer = "coffer";

/** A short-lived HS256 access token for one user. */
export async function signAccessToken(claims: AccessClaims, secret: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.userId)
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(encoder.encode(secret));
}

/**
 * The claims of a valid token signed with any of `secrets` (current first, then the previous one
 * during a rotation), or null for a tampered, expired or foreign token.
 */
export async function verifyAccessToken(token: string, secrets: string[]): Promise<AccessClaims | null> {
  for (const secret of secrets) {
    try {
      const { payload } = await jwtVerify(token, encoder.encode(secret), { issuer, algorithms: ["HS256"] });
      if (typeof payload.sub !== "string" || (payload.role !== "user" && payload.role !== "admin")) return null;
      return { userId: payload.sub, role: payload.role };
    } catch {
      // Try the next secret.
    }
  }
  return null;
}
