import nodemailer from 'nodemailer';
import type { PagingChannel, SmtpConfig } from '@faultline/shared';
import { emailMessage } from '../../core/paging/messages.js';
import type { DeliveryOutcome, Notifier } from '../../ports.js';

/** What the e-mail sender needs. */
export interface EmailDeps {
  /** Undefined: no SMTP server configured (the config check makes e-mail targets need one). */
  readonly smtp: SmtpConfig | undefined;
  readonly channels: readonly PagingChannel[];
  readonly timeoutMs: number;
}

/** The e-mail sender, and its connection pool to close. */
export interface EmailNotifier extends Notifier {
  close(): void;
}

/**
 * E-mail over SMTP (nodemailer): to a person's address, or to an e-mail channel's addresses. The
 * subject is the headline (what happened and the root cause); the text says the severity, the
 * impact and the link. A refused or failed send is thrown, to be retried; the error names the
 * SMTP answer code, never the credentials.
 */
export function createEmailNotifier(deps: EmailDeps): EmailNotifier {
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
  const channels = new Map(deps.channels.map((c) => [c.name, c]));
  return {
    async send(job): Promise<DeliveryOutcome> {
      if (transport === undefined || smtp === undefined)
        throw new Error('e-mail: no SMTP server configured');
      const { destination } = job;
      let to: readonly string[];
      if (destination.kind === 'email') to = [destination.address];
      else {
        const channel =
          destination.kind === 'channel' ? channels.get(destination.channel) : undefined;
        if (channel?.type !== 'email') throw new Error('not an e-mail delivery');
        to = channel.to;
      }
      const { subject, text } = emailMessage(job.message);
      try {
        const info = await transport.sendMail({
          from: smtp.from,
          to: [...to],
          subject,
          text,
          headers: { 'X-Faultline-Incident': job.incidentId, 'X-Faultline-Action': job.action },
        });
        return {
          kind: 'delivered',
          detail: `SMTP server accepted it (${String(info.accepted.length)} recipients)`,
        };
      } catch (error) {
        const code = (error as { responseCode?: unknown }).responseCode;
        throw new Error(
          `e-mail: SMTP ${typeof code === 'number' ? `answered ${String(code)}` : 'unreachable'}`,
          { cause: error },
        );
      }
    },
    close() {
      transport?.close();
    },
  };
}
