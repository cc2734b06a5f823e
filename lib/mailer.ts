import nodemailer, { type Transporter } from "nodemailer";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** The Message-ID header, without angle brackets; a stable one lets receivers drop a resent copy. */
  messageId?: string;
}

export class Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(mail: Mail): Promise<void> {
    const { messageId, ...rest } = mail;
    await this.transport.sendMail({ from: this.from, ...rest, ...(messageId ? { messageId: `<${messageId}>` } : {}) });
  }

  close(): void {
    this.transport.close();
  }
}
