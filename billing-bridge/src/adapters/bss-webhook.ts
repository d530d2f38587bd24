/**
 * Pushes a billing run to the BSS: one POST of the run's JSON export, with an `Idempotency-Key`
 * header (the run id and its content hash) so that the BSS can drop a repeat after a retry whose
 * answer was lost. Only loopback addresses are used in tests.
 */
import { UnrecoverableError } from 'bullmq';
import { renderBillingJson } from '@faultline/shared';
import type { BillingStore } from '../ports.js';

/** What a push needs. */
export interface BssPushDeps {
  readonly url: string;
  readonly store: Pick<BillingStore, 'readRun' | 'wasPushed' | 'recordPush'>;
  /** Per-attempt timeout, ms. */
  readonly timeoutMs?: number;
}

/** The idempotency key of a run's push. */
export function idempotencyKey(runId: string, contentHash: string): string {
  return `${runId}#${contentHash}`;
}

/**
 * Delivers one run. Resolves when delivered (or delivered before); a network failure, a timeout,
 * 408, 429 or 5xx throws to be retried; any other answer throws `UnrecoverableError`.
 */
export async function pushRun(deps: BssPushDeps, runId: string): Promise<'sent' | 'already-sent'> {
  if (await deps.store.wasPushed(runId)) return 'already-sent';
  const stored = await deps.store.readRun(runId);
  if (stored === null) throw new UnrecoverableError(`billing run ${runId} does not exist`);
  let response: Response;
  try {
    response = await fetch(deps.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey(runId, stored.run.contentHash),
      },
      body: renderBillingJson(stored.run, stored.lines),
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      // Billing data goes to the configured URL only: a redirect (which 307/308 would follow with
      // the body) is an answer like any other non-2xx, and is not retried.
      redirect: 'manual',
    });
  } catch (error) {
    throw new Error('BSS webhook unreachable', { cause: error });
  }
  // The body is not needed, but must be read for the connection to be reused.
  await response.arrayBuffer().catch(() => undefined);
  const retriable = response.status === 408 || response.status === 429 || response.status >= 500;
  if (!response.ok) {
    const message = `BSS webhook answered ${String(response.status)}`;
    throw retriable ? new Error(message) : new UnrecoverableError(message);
  }
  await deps.store.recordPush(runId, response.status);
  return 'sent';
}
