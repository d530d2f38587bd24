/**
 * Sends budget warnings to the paging channels (`paging.channels`) a customer's contact names,
 * through the senders the correlator's pages use (`@faultline/shared/channels`): Slack- and
 * Teams-compatible incoming webhooks get the text, the generic webhook a signed JSON body (the
 * paging channels' scheme), an e-mail channel a mail through `paging.smtp`. Errors name the
 * channel and the answer, never a URL or a secret.
 */
import type { SmtpConfig } from '@faultline/shared';
import { createMailer, postToChannel, type HttpPagingChannel } from '@faultline/shared/channels';
import { budgetWarningKey, budgetWarningText, type BudgetWarning } from '../core/index.js';
import type { BudgetWarningSender } from '../ports.js';

/** The sender, and its SMTP connection pool to close. */
export interface BudgetWarningChannels {
  readonly send: BudgetWarningSender;
  close(): void;
}

/** A warning's body in the channel type's format (PagerDuty is refused before). */
function warningBody(
  channel: Exclude<HttpPagingChannel, { type: 'pagerduty' }>,
  warning: BudgetWarning,
): string {
  const { subject, text } = budgetWarningText(warning);
  switch (channel.type) {
    case 'slack':
      return JSON.stringify({ text });
    case 'teams':
      return JSON.stringify({ title: subject, text });
    case 'webhook':
      return JSON.stringify({
        kind: 'budget-warning',
        id: budgetWarningKey(warning),
        text,
        warning,
      });
  }
}

/** Creates the sender. */
export function createBudgetWarningChannels(deps: {
  readonly smtp: SmtpConfig | undefined;
  readonly timeoutMs: number;
  readonly nowMs: () => number;
}): BudgetWarningChannels {
  const mailer = createMailer({ smtp: deps.smtp, timeoutMs: deps.timeoutMs });
  return {
    async send(channel, warning) {
      if (channel.type === 'pagerduty')
        throw new Error(`pagerduty channel ${channel.name}: budget warnings are not incidents`);
      if (channel.type === 'email') {
        await mailer.send(`email channel ${channel.name}`, {
          to: channel.to,
          ...budgetWarningText(warning),
        });
        return;
      }
      await postToChannel(
        channel,
        {
          body: warningBody(channel, warning),
          idempotencyKey: budgetWarningKey(warning).replace(/[^A-Za-z0-9_-]/g, '_'),
        },
        { timeoutMs: deps.timeoutMs, nowMs: deps.nowMs() },
      );
    },
    close() {
      mailer.close();
    },
  };
}
