import type { PagingChannel } from '../config/paging-schema.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from '../webhook-signature.js';
import { postToEndpoint } from './http-post.js';

/** The paging channels reached over HTTP: Slack, Teams, PagerDuty and the generic webhook. */
export type HttpPagingChannel = Exclude<PagingChannel, { type: 'email' }>;

/** One JSON message for a channel. */
export interface ChannelMessage {
  /** The JSON body, in the channel type's format (the caller's: a page, a budget warning). */
  readonly body: string;
  /**
   * The generic webhook's `idempotency-key`: the same for every retry of one message, so that a
   * receiver can drop a repeat.
   */
  readonly idempotencyKey: string;
}

/** How a channel is posted to. */
export interface ChannelPostOptions {
  readonly timeoutMs: number;
  /** The clock of the webhook's signature timestamp. */
  readonly nowMs: number;
}

/**
 * The headers of a message to `channel`: the generic webhook's body is signed with the channel's
 * secret (`x-faultline-timestamp`, `x-faultline-signature`, docs/oncall.md) and carries the
 * idempotency key; the other types take the body as it is.
 */
export function channelHeaders(
  channel: HttpPagingChannel,
  message: ChannelMessage,
  nowMs: number,
): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (channel.type !== 'webhook') return headers;
  const timestampS = Math.floor(nowMs / 1000);
  return {
    ...headers,
    [TIMESTAMP_HEADER]: String(timestampS),
    [SIGNATURE_HEADER]: webhookSignature(channel.secret, timestampS, message.body),
    'idempotency-key': message.idempotencyKey,
  };
}

/**
 * Posts one message to a team channel and gives back its 2xx status. Any other answer, a timeout
 * or a network error is thrown (for the caller to retry), naming the channel's type and name and
 * the answer, never the URL nor a key.
 */
export async function postToChannel(
  channel: HttpPagingChannel,
  message: ChannelMessage,
  options: ChannelPostOptions,
): Promise<number> {
  const who = `${channel.type} channel ${channel.name}`;
  const status = await postToEndpoint(who, {
    url: channel.url,
    headers: channelHeaders(channel, message, options.nowMs),
    body: message.body,
    timeoutMs: options.timeoutMs,
  });
  if (status < 200 || status >= 300) throw new Error(`${who} answered ${String(status)}`);
  return status;
}
