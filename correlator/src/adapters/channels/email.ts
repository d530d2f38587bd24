import type { PagingChannel, SmtpConfig } from '@faultline/shared';
import { createMailer } from '@faultline/shared/channels';
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
 * E-mail over SMTP (the shared mailer): to a person's address, or to an e-mail channel's
 * addresses. The subject is the headline (what happened and the root cause); the text says the
 * severity, the impact and the link. A refused or failed send is thrown, to be retried; the error
 * names the SMTP answer code, never the credentials.
 */
export function createEmailNotifier(deps: EmailDeps): EmailNotifier {
  const mailer = createMailer({ smtp: deps.smtp, timeoutMs: deps.timeoutMs });
  const channels = new Map(deps.channels.map((c) => [c.name, c]));
  return {
    async send(job): Promise<DeliveryOutcome> {
      const { destination } = job;
      let to: readonly string[];
      if (destination.kind === 'email') to = [destination.address];
      else {
        const channel =
          destination.kind === 'channel' ? channels.get(destination.channel) : undefined;
        if (channel?.type !== 'email') throw new Error('not an e-mail delivery');
        to = channel.to;
      }
      const accepted = await mailer.send('e-mail', {
        to,
        ...emailMessage(job.message),
        headers: { 'X-Faultline-Incident': job.incidentId, 'X-Faultline-Action': job.action },
      });
      return {
        kind: 'delivered',
        detail: `SMTP server accepted it (${String(accepted)} recipients)`,
      };
    },
    close() {
      mailer.close();
    },
  };
}
