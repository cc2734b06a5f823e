import type { Mail } from "../../../lib/mailer";
import type { AppContext } from "../../context";

/**
 * Sends a mail without making the client wait for SMTP (or learn anything from its timing); a
 * failure is logged as an error with the request id.
 */
export function sendMailInBackground(ctx: AppContext, mail: Mail, userId: string, what: string): void {
  const { mailer, logger } = ctx.deps;
  const requestId = ctx.state.requestId;
  void mailer.send(mail).catch((err: unknown) => logger.error({ err, requestId, userId }, `${what} not sent`));
}
