/** Reads mail back through Mailpit's HTTP API (the local stack's SMTP server). */
export interface ReceivedMail {
  subject: string;
  text: string;
  from: string;
}

const api = () => `http://127.0.0.1:${process.env.MAILPIT_HTTP_PORT ?? "8025"}/api/v1`;

/** Waits up to `timeoutMs` for the newest mail sent to `to`. */
export async function findMail(to: string, timeoutMs = 10_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const search = await fetch(`${api()}/search?query=${encodeURIComponent(`to:"${to}"`)}`);
    const { messages } = (await search.json()) as { messages: { ID: string }[] };
    if (messages.length > 0) {
      const message = (await (await fetch(`${api()}/message/${messages[0].ID}`)).json()) as {
        Subject: string;
        Text: string;
        From: { Address: string };
      };
      return { subject: message.Subject, text: message.Text, from: message.From.Address };
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every mail sent to `to` so far, newest first (subject, text and Message-ID). */
export async function mailsTo(to: string): Promise<(ReceivedMail & { messageId: string })[]> {
  const search = await fetch(`${api()}/search?query=${encodeURIComponent(`to:"${to}"`)}&limit=200`);
  const { messages } = (await search.json()) as { messages: { ID: string }[] };
  return Promise.all(
    messages.map(async ({ ID }) => {
      const message = (await (await fetch(`${api()}/message/${ID}`)).json()) as {
        Subject: string;
        Text: string;
        From: { Address: string };
        MessageID: string;
      };
      return { subject: message.Subject, text: message.Text, from: message.From.Address, messageId: message.MessageID };
    }),
  );
}

/** Waits up to `timeoutMs` for the newest mail to `to` whose subject contains `subject`. */
export async function findMailAbout(to: string, subject: string, timeoutMs = 10_000): Promise<ReceivedMail> {
  return findMail(`${to}" subject:"${subject}`, timeoutMs);
}

/** How many mails went to `to` (with `subject` in their subject, when given). */
export async function countMails(to: string, subject?: string): Promise<number> {
  const query = `to:"${to}"${subject ? ` subject:"${subject}"` : ""}`;
  const search = await fetch(`${api()}/search?query=${encodeURIComponent(query)}`);
  return ((await search.json()) as { messages_count: number }).messages_count;
}
