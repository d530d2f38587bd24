/**
 * What a billing run writes, given the freshly computed bill and what earlier runs of the same
 * customer and period already billed. This is what makes runs idempotent and never silent:
 *
 * - No earlier run: the run holds the bill's lines (version 1).
 * - An earlier run computed the very same bill (same target hash): nothing is written; the
 *   latest run stands, with its lines and hash.
 * - The bill changed (late data, a late outage, a config change): a new version holds one
 *   `adjustment` line per key whose billed amount differs from the sum already billed under that
 *   key (held lines count as 0, unless an analyst released their key: then they count as billed),
 *   with the reason; lines still held are repeated as held, for review. A closed run is never
 *   rewritten.
 *
 * The content hash is SHA-256 over the canonical JSON of the lines (keys sorted, big integers as
 * decimal strings), so equal lines give equal hashes on any machine.
 */
import { createHash } from 'node:crypto';
import type { BillLine } from './customer-bill.js';
import { formatMinor } from '@faultline/shared';
import { adjustmentLine } from './rated-line.js';

/** What the earlier runs of a customer and period left behind. */
export interface PreviousRuns {
  /** The target hash of the latest run. */
  readonly latestTargetHash: string;
  /** Sum of the billed amounts so far, by line key (released held lines included). */
  readonly billedByKey: ReadonlyMap<string, bigint>;
  /**
   * Keys of held lines a billing analyst released: they are billed from then on whatever their
   * coverage, so a re-run adjusts their amount instead of holding them again.
   */
  readonly releasedKeys: ReadonlySet<string>;
}

/** The decision for one run. */
export type RunPlan =
  | { readonly kind: 'first'; readonly lines: readonly BillLine[]; readonly targetHash: string }
  | { readonly kind: 'unchanged'; readonly targetHash: string }
  | {
      readonly kind: 'adjusted';
      readonly lines: readonly BillLine[];
      readonly targetHash: string;
    };

function canonical(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, item]) => [key, canonical(item)]));
  }
  return value;
}

/** SHA-256 (hex) of the lines' canonical JSON. */
export function linesHash(lines: readonly BillLine[]): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(lines)))
    .digest('hex');
}

/** A line counts as billed when it is, or when it is held under a key an analyst released. */
function isBilled(line: BillLine, previous: PreviousRuns): boolean {
  return line.status === 'billed' || previous.releasedKeys.has(line.key);
}

/**
 * Decides what a run writes.
 * @param reason why the bill may have changed, for the adjustment lines ("re-run of 2026-04").
 * @param currency the customer's currency (adjustments of keys no longer billed have no line to
 *   take it from).
 */
export function planRun(
  target: readonly BillLine[],
  previous: PreviousRuns | null,
  reason: string,
  currency: string,
): RunPlan {
  const targetHash = linesHash(target);
  if (previous === null) return { kind: 'first', lines: target, targetHash };
  if (previous.latestTargetHash === targetHash) return { kind: 'unchanged', targetHash };

  const targetByKey = new Map<string, BillLine>();
  const billedTarget = new Map<string, bigint>();
  for (const line of target) {
    targetByKey.set(line.key, line);
    const billed = isBilled(line, previous) ? line.amountMinor : 0n;
    billedTarget.set(line.key, (billedTarget.get(line.key) ?? 0n) + billed);
  }
  const keys = [...new Set([...billedTarget.keys(), ...previous.billedByKey.keys()])].sort();
  const lines: BillLine[] = [];
  for (const key of keys) {
    const before = previous.billedByKey.get(key) ?? 0n;
    const after = billedTarget.get(key) ?? 0n;
    const line = targetByKey.get(key);
    const serviceId = line?.serviceId ?? key.slice(0, key.indexOf('/'));
    if (after !== before) {
      const now = line === undefined ? 'no longer billed' : `now: ${line.description}`;
      const adjustment = adjustmentLine(
        serviceId,
        `Adjustment ${formatMinor(before, currency)} → ${formatMinor(after, currency)}; ${now}`,
        after - before,
        currency,
        `${reason}: ${key} billed ${formatMinor(before, currency)}, recomputed ${formatMinor(after, currency)}`,
        line?.evidence,
      );
      lines.push({ ...adjustment, key, status: 'billed', coverage: line?.coverage ?? null });
    }
    if (line !== undefined && !isBilled(line, previous)) lines.push(line);
  }
  return { kind: 'adjusted', lines, targetHash };
}
