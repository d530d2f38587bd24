import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an acknowledgement token grants: acknowledging one incident, as one person, until `expMs`. */
export interface AckGrant {
  readonly incidentId: string;
  readonly person: string;
  readonly expMs: number;
}

function sign(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

/** A token for `grant`: base64url JSON, a dot, and its HMAC-SHA256 under the installation's secret. */
export function signAckToken(grant: AckGrant, secret: string): string {
  const body = Buffer.from(
    JSON.stringify({ i: grant.incidentId, p: grant.person, e: grant.expMs }),
  ).toString('base64url');
  return `${body}.${sign(body, secret)}`;
}

/** The grant of a token signed with `secret` and not expired at `nowMs`, or why not. */
export function verifyAckToken(
  token: string,
  secret: string,
  nowMs: number,
):
  { ok: true; grant: AckGrant } | { ok: false; reason: 'malformed' | 'bad signature' | 'expired' } {
  const [body, signature, extra] = token.split('.');
  if (body === undefined || signature === undefined || extra !== undefined)
    return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'bad signature' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { i, p, e } = (parsed ?? {}) as { i?: unknown; p?: unknown; e?: unknown };
  if (typeof i !== 'string' || typeof p !== 'string' || typeof e !== 'number')
    return { ok: false, reason: 'malformed' };
  if (nowMs >= e) return { ok: false, reason: 'expired' };
  return { ok: true, grant: { incidentId: i, person: p, expMs: e } };
}
