import argon2 from "argon2";

/** An argon2id hash (argon2's default cost) of a password. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** True when `password` matches `hash`; a malformed hash is simply no match. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends as long as a real check when there is no account to check against, so response times do
 * not tell which e-mail addresses have accounts. Always false.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummy ??= hashPassword("no account has this password");
  await verifyPassword(await dummy, password);
  return false;
}
