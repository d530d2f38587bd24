import type { PagingChannel } from '@faultline/shared';
import { postToChannel, type HttpPagingChannel } from '@faultline/shared/channels';
import type { DeliveryJob } from '../../core/jobs.js';
import {
  pagerDutyEvent,
  slackMessage,
  teamsMessage,
  webhookBody,
} from '../../core/paging/messages.js';
import type { DeliveryOutcome, Notifier } from '../../ports.js';

/** What the team channels need. */
export interface HttpChannelDeps {
  readonly channels: readonly PagingChannel[];
  readonly timeoutMs: number;
  readonly nowMs: () => number;
  /** E-mail channels are handed to the e-mail sender. */
  readonly email: Notifier;
}

/** A page's body in the channel type's format. */
function pageBody(channel: HttpPagingChannel, job: DeliveryJob, jobId: string): string {
  switch (channel.type) {
    case 'slack':
      return JSON.stringify(slackMessage(job.message));
    case 'teams':
      return JSON.stringify(teamsMessage(job.message));
    case 'pagerduty':
      return JSON.stringify(pagerDutyEvent(job.message, channel.routingKey));
    case 'webhook':
      return JSON.stringify(webhookBody(job.message, jobId));
  }
}

/**
 * The team channels' sender: Slack- and Teams-compatible incoming webhooks, PagerDuty Events v2,
 * and the generic webhook signed with HMAC, posted by the shared `postToChannel`. One POST per
 * delivery; any answer but 2xx, a timeout or a network error fails it (to be retried). Errors
 * name the channel and status, never the URL (a Slack or Teams URL is itself a secret) nor a key.
 */
export function createHttpChannelNotifier(deps: HttpChannelDeps): Notifier {
  const byName = new Map(deps.channels.map((c) => [c.name, c]));
  return {
    async send(job): Promise<DeliveryOutcome> {
      const { destination } = job;
      if (destination.kind !== 'channel') throw new Error('not a team channel delivery');
      const channel = byName.get(destination.channel);
      if (channel === undefined)
        throw new Error(`channel ${destination.channel} is not configured`);
      if (channel.type === 'email') return deps.email.send(job);
      const jobId = `${job.incidentId}-${job.action}-${job.step === null ? 'f' : String(job.step)}`;
      const status = await postToChannel(
        channel,
        { body: pageBody(channel, job, jobId), idempotencyKey: jobId },
        { timeoutMs: deps.timeoutMs, nowMs: deps.nowMs() },
      );
      return {
        kind: 'delivered',
        detail: `${channel.type} channel ${channel.name} answered ${String(status)}`,
      };
    },
  };
}
