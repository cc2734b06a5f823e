import type { Knex } from "knex";

export interface GuessLimit {
  /** Wrong passwords one IP may try on one link per window. */
  maxFailures: number;
  windowSeconds: number;
}

export interface GuessKey {
  shareId: string;
  ip: string;
}

/** `attempt` is this attempt's number in the window: the one equal to maxFailures, if wrong, locks the pair. */
export type GuessReservation = { allowed: true; attempt: number } | { allowed: false; retryAfterSeconds: number };

/**
 * Takes one password attempt from the IP's budget on this link before the password is checked,
 * in one conditional upsert: parallel guesses cannot get past the limit, since each takes its slot
 * first. The window starts with the first failure and the count starts afresh once it is over. A
 * right password gives its slot back (refundPasswordGuess), so only wrong ones count.
 */
export async function reservePasswordGuess(
  db: Knex,
  { shareId, ip }: GuessKey,
  limit: GuessLimit,
): Promise<GuessReservation> {
  const windowOver = "g.window_started_at <= now() - ?::int * interval '1 second'";
  const { rows } = await db.raw<{ rows: { failures: number }[] }>(
    `INSERT INTO share_password_guesses AS g (share_id, ip, window_started_at, failures)
     VALUES (?, ?, now(), 1)
     ON CONFLICT (share_id, ip) DO UPDATE SET
       failures = CASE WHEN ${windowOver} THEN 1 ELSE g.failures + 1 END,
       window_started_at = CASE WHEN ${windowOver} THEN now() ELSE g.window_started_at END
     WHERE ${windowOver} OR g.failures < ?
     RETURNING failures`,
    [shareId, ip, limit.windowSeconds, limit.windowSeconds, limit.windowSeconds, limit.maxFailures],
  );
  if (rows[0]) return { allowed: true, attempt: rows[0].failures };
  const { rows: window } = await db.raw<{ rows: { seconds: number }[] }>(
    `SELECT ceil(extract(epoch FROM window_started_at + ?::int * interval '1 second' - now()))::int AS seconds
       FROM share_password_guesses WHERE share_id = ? AND ip = ?`,
    [limit.windowSeconds, shareId, ip],
  );
  return { allowed: false, retryAfterSeconds: Math.max(1, window[0]?.seconds ?? 1) };
}

/** Gives back the slot of an attempt whose password was right. */
export async function refundPasswordGuess(db: Knex, { shareId, ip }: GuessKey): Promise<void> {
  await db.raw(
    "UPDATE share_password_guesses SET failures = failures - 1 WHERE share_id = ? AND ip = ? AND failures > 0",
    [shareId, ip],
  );
}
