import type { Knex } from "knex";

export interface ThrottleSettings {
  /** Failures within the window that lock the pair. */
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

export interface ThrottleKey {
  /** emailKey() of the address tried, known account or not. */
  email: string;
  ip: string;
}

/**
 * Serialises every login attempt for one email + IP pair until the transaction ends, so parallel
 * attempts cannot slip past the failure count. Other pairs do not wait.
 */
export async function lockLoginPair(trx: Knex.Transaction, { email, ip }: ThrottleKey): Promise<void> {
  await trx.raw("select pg_advisory_xact_lock(hashtextextended(?, 0))", [`login\n${email}\n${ip}`]);
}

/** When the pair's lock ends, or null when it is not locked. */
export async function loginLockedUntil(trx: Knex.Transaction, { email, ip }: ThrottleKey): Promise<Date | null> {
  const lock = await trx("login_locks")
    .where({ email, ip })
    .where("lockedUntil", ">", trx.raw("clock_timestamp()"))
    .first("lockedUntil");
  return lock ? (lock.lockedUntil as Date) : null;
}

/**
 * Records a failed attempt. Failures count while they are younger than the window and newer than
 * the pair's last success and last lock; reaching the maximum locks the pair, and the lock's end is
 * returned (else null).
 */
export async function recordLoginFailure(
  trx: Knex.Transaction,
  key: ThrottleKey,
  settings: ThrottleSettings,
): Promise<Date | null> {
  const { email, ip } = key;
  await trx("login_attempts").insert({ email, ip, succeeded: false, at: trx.raw("clock_timestamp()") });
  const { count } = (await trx("login_attempts")
    .where({ email, ip, succeeded: false })
    .where("at", ">", trx.raw("clock_timestamp() - ?::int * interval '1 second'", [settings.windowSeconds]))
    .where(
      "at",
      ">",
      trx.raw(
        `coalesce(greatest(
          (select max(at) from login_attempts where email = ? and ip = ? and succeeded),
          (select locked_at from login_locks where email = ? and ip = ?)
        ), '-infinity')`,
        [email, ip, email, ip],
      ),
    )
    .count({ count: "*" })
    .first()) as { count: string | number };
  if (Number(count) < settings.maxFailures) return null;
  const [lock] = await trx("login_locks")
    .insert({
      email,
      ip,
      lockedAt: trx.raw("clock_timestamp()"),
      lockedUntil: trx.raw("clock_timestamp() + ?::int * interval '1 second'", [settings.lockSeconds]),
    })
    .onConflict(["email", "ip"])
    .merge(["lockedAt", "lockedUntil"])
    .returning("lockedUntil");
  return lock.lockedUntil as Date;
}

/** Records a success, which starts the failure count afresh and clears an expired lock. */
export async function recordLoginSuccess(trx: Knex.Transaction, { email, ip }: ThrottleKey): Promise<void> {
  await trx("login_attempts").insert({ email, ip, succeeded: true, at: trx.raw("clock_timestamp()") });
  await trx("login_locks").where({ email, ip }).delete();
}
