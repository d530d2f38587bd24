import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config/paging-schema.js';

/** One mail. */
export interface Mail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Mail over the configured SMTP server (`paging.smtp`), and its connection pool to close. */
export interface Mailer {
  /**
   * Sends one mail and gives back how many recipients the server accepted. Throws when no SMTP
   * server is configured or the server refuses or cannot be reached: `<who>: SMTP answered 550`,
   * `<who>: SMTP unreachable`, never the credentials.
   */
  send(who: string, mail: Mail): Promise<number>;
  close(): void;
}

/**
 * Creates the mailer (nodemailer), with `timeoutMs` for the connection, the greeting and each
 * socket read. `smtp` undefined: no server configured; the config check makes every e-mail
 * target need one, so `send` then fails.
 */
export function createMailer(deps: {
  readonly smtp: SmtpConfig | undefined;
  readonly timeoutMs: number;
}): Mailer {
  const smtp = deps.smtp;
  const transport =
    smtp === undefined
      ? undefined
      : nodemailer.createTransport({
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          ...(smtp.user === undefined
            ? {}
            : { auth: { user: smtp.user, pass: smtp.password ?? '' } }),
          connectionTimeout: deps.timeoutMs,
          greetingTimeout: deps.timeoutMs,
          socketTimeout: deps.timeoutMs,
        });
  return {
    async send(who, mail) {
      if (transport === undefined || smtp === undefined)
        throw new Error(`${who}: no SMTP server configured`);
      try {
        const info = await transport.sendMail({
          from: smtp.from,
          to: [...mail.to],
          subject: mail.subject,
          text: mail.text,
          ...(mail.headers === undefined ? {} : { headers: { ...mail.headers } }),
        });
        return info.accepted.length;
      } catch (error) {
        const code = (error as { responseCode?: unknown }).responseCode;
        throw new Error(
          `${who}: SMTP ${typeof code === 'number' ? `answered ${String(code)}` : 'unreachable'}`,
          { cause: error },
        );
      }
    },
    close() {
      transport?.close();
    },
  };
}
