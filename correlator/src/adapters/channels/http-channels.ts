import { createHmac } from 'node:crypto';
import type { PagingChannel } from '@faultline/shared';
import type { DeliveryJob } from '../../core/jobs.js';
import {
  pagerDutyEvent,
  slackMessage,
  teamsMessage,
  webhookBody,
} from '../../core/paging/messages.js';
import type { DeliveryOutcome, Notifier } from '../../ports.js';

/** The headers that sign a generic webhook's body. */
export const SIGNATURE_HEADER = 'x-faultline-signature';
export const TIMESTAMP_HEADER = 'x-faultline-timestamp';

/**
 * The signature of a webhook body sent at `timestampS` (unix seconds): `v1=` and the hex
 * HMAC-SHA256 of `<timestampS>.<body>` under the channel's secret. A receiver recomputes it and
 * rejects a timestamp more than a few minutes old (a replay).
 */
export function webhookSignature(secret: string, timestampS: number, body: string): string {
  return `v1=${createHmac('sha256', secret)
    .update(`${String(timestampS)}.${body}`)
    .digest('hex')}`;
}

/** What the team channels need. */
export interface HttpChannelDeps {
  readonly channels: readonly PagingChannel[];
  readonly timeoutMs: number;
  readonly nowMs: () => number;
  /** E-mail channels are handed to the e-mail sender. */
  readonly email: Notifier;
}

type HttpChannel = Exclude<PagingChannel, { type: 'email' }>;

function request(
  channel: HttpChannel,
  job: DeliveryJob,
  jobId: string,
  nowMs: number,
): { body: string; headers: Record<string, string> } {
  switch (channel.type) {
    case 'slack':
      return { body: JSON.stringify(slackMessage(job.message)), headers: {} };
    case 'teams':
      return { body: JSON.stringify(teamsMessage(job.message)), headers: {} };
    case 'pagerduty':
      return { body: JSON.stringify(pagerDutyEvent(job.message, channel.routingKey)), headers: {} };
    case 'webhook': {
      const body = JSON.stringify(webhookBody(job.message, jobId));
      const timestampS = Math.floor(nowMs / 1000);
      return {
        body,
        headers: {
          [TIMESTAMP_HEADER]: String(timestampS),
          [SIGNATURE_HEADER]: webhookSignature(channel.secret, timestampS, body),
          'idempotency-key': jobId,
        },
      };
    }
  }
}

/**
 * The team channels' sender: Slack- and Teams-compatible incoming webhooks, PagerDuty Events v2,
 * and the generic webhook signed with HMAC. One POST per delivery; any answer but 2xx, a timeout
 * or a network error fails it (to be retried). Errors name the channel and status, never the URL
 * (a Slack or Teams URL is itself a secret) nor a key.
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
      const { body, headers } = request(channel, job, jobId, deps.nowMs());
      let status: number;
      try {
        const response = await fetch(channel.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
          signal: AbortSignal.timeout(deps.timeoutMs),
          redirect: 'error',
        });
        await response.body?.cancel();
        status = response.status;
      } catch (error) {
        const reason =
          error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'unreachable';
        throw new Error(`${channel.type} channel ${channel.name}: ${reason}`, { cause: error });
      }
      if (status < 200 || status >= 300)
        throw new Error(`${channel.type} channel ${channel.name} answered ${String(status)}`);
      return {
        kind: 'delivered',
        detail: `${channel.type} channel ${channel.name} answered ${String(status)}`,
      };
    },
  };
}
