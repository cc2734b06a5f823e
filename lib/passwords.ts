import argon2 from "argon2";

// Each hash takes 64 MiB and one of libuv's threads (4 unless UV_THREADPOOL_SIZE says otherwise) for
// a good fraction of a second. Hashes beyond the cap wait here, in order, so a burst of them cannot
// hold every thread: logins (argon2.verify), DNS lookups and file reads keep running.
let hashSlots = 2;
let hashing = 0;
const waitingHashes: (() => void)[] = [];

/** How many hashes may run at once in this process (PASSWORD_HASH_CONCURRENCY); set once at start-up. */
export function limitPasswordHashing(concurrency: number): void {
  hashSlots = concurrency;
  while (hashing < hashSlots && waitingHashes.length > 0) {
    hashing++;
    waitingHashes.shift()!();
  }
}

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (hashing < hashSlots) hashing++;
  else await new Promise<void>((resolve) => waitingHashes.push(resolve));
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line, or give it back.
    if (hashing <= hashSlots && waitingHashes.length > 0) waitingHashes.shift()!();
    else hashing--;
  }
}

/** An argon2id hash (argon2's default cost) of a password; waits while PASSWORD_HASH_CONCURRENCY hashes run. */
export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => argon2.hash(password, { type: argon2.argon2id }));
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
