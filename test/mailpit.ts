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
