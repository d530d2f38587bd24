/**
 * CSV and JSON exports of one billing run, as pure functions of the stored run and its lines, so
 * that the billing bridge (webhook pushes) and the api (downloads) render byte-identical files
 * from the same PostgreSQL rows. Amounts are already decimal strings in the currency's minor
 * digits when stored: nothing here does arithmetic on money.
 */

/** One billing run as stored in `billing_runs` (the columns an export shows). */
export interface BillingExportRun {
  /** `<customer>/<period>/v<version>`. */
  readonly id: string;
  readonly customerId: string;
  /** Period label, e.g. `2026-04` or `2026-04-15`. */
  readonly period: string;
  /** ISO 8601 UTC, inclusive. */
  readonly periodStart: string;
  /** ISO 8601 UTC, exclusive. */
  readonly periodEnd: string;
  /** 1 for the first run of the period; later versions hold only adjustments. */
  readonly version: number;
  readonly currency: string;
  /** SHA-256 (hex) of the run's lines in canonical form. */
  readonly contentHash: string;
  /** Sum of the billed lines (held lines excluded), decimal in the currency's minor digits. */
  readonly totalBilled: string;
  /** Sum of the held lines, decimal. */
  readonly totalHeld: string;
  readonly createdAt: string;
}

/** One line of a run as stored in `billing_lines`. */
export interface BillingExportLine {
  /** 1-based position in the run. */
  readonly lineNo: number;
  /** Stable identity of what the line bills across re-runs (service, kind, plan, segment). */
  readonly lineKey: string;
  readonly serviceId: string;
  readonly kind: 'charge' | 'overage' | 'credit' | 'adjustment';
  /** `billed`, or `held` for review (usage coverage below the threshold). */
  readonly status: 'billed' | 'held';
  readonly description: string;
  /** Exact decimal. */
  readonly quantity: string;
  /** Unit price in major units, exact decimal (at least the currency's minor digits). */
  readonly unitPrice: string;
  /** Exact decimal or reduced fraction `p/q`. */
  readonly periodFraction: string;
  /** Decimal in the currency's minor digits, negative for credits. */
  readonly amount: string;
  readonly currency: string;
}

/** The CSV columns, in order (documented in docs/billing.md). */
export const BILLING_CSV_COLUMNS = [
  'run_id',
  'run_version',
  'customer_id',
  'period',
  'period_start',
  'period_end',
  'line_no',
  'line_key',
  'service_id',
  'kind',
  'status',
  'description',
  'quantity',
  'unit_price',
  'period_fraction',
  'amount',
  'currency',
] as const;

/** RFC 4180 quoting: only fields with a comma, quote or line break are quoted. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The run as CSV (RFC 4180: CRLF line ends, a header row, `BILLING_CSV_COLUMNS`), lines in
 * `lineNo` order.
 */
export function renderBillingCsv(
  run: BillingExportRun,
  lines: readonly BillingExportLine[],
): string {
  const rows = [BILLING_CSV_COLUMNS.join(',')];
  for (const line of [...lines].sort((a, b) => a.lineNo - b.lineNo)) {
    const fields = [
      run.id,
      String(run.version),
      run.customerId,
      run.period,
      run.periodStart,
      run.periodEnd,
      String(line.lineNo),
      line.lineKey,
      line.serviceId,
      line.kind,
      line.status,
      line.description,
      line.quantity,
      line.unitPrice,
      line.periodFraction,
      line.amount,
      line.currency,
    ];
    rows.push(fields.map(csvField).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** The run as JSON: `{ run, lines }`, lines in `lineNo` order, pretty-printed with two spaces. */
export function renderBillingJson(
  run: BillingExportRun,
  lines: readonly BillingExportLine[],
): string {
  const sorted = [...lines].sort((a, b) => a.lineNo - b.lineNo);
  return `${JSON.stringify({ run, lines: sorted }, null, 2)}\n`;
}
