import { createHmac } from 'node:crypto';

/** The headers that sign a generic webhook's body (paging channels, budget warnings). */
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
