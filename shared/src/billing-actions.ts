/**
 * What billing analysts do to a stored run (table `billing_actions` of migration `billing_002`):
 * release a held line, or add a manual credit or debit. The api writes and serves them; the
 * dashboard shows them. See docs/billing.md, _Analyst review_.
 */

/** One action of a billing analyst on a run. */
export interface BillingAction {
  readonly actionNo: number;
  readonly kind: 'approval' | 'adjustment';
  /** The held line an approval released (null for an adjustment). */
  readonly lineNo: number | null;
  readonly lineKey: string;
  readonly serviceId: string;
  readonly description: string;
  /** Decimal in major units with the currency's digits; negative for a credit. */
  readonly amount: string;
  readonly currency: string;
  readonly reason: string;
  readonly actor: string;
  /** ISO 8601 UTC. */
  readonly at: string;
}

/**
 * The analysts' part of a run's reconciliation (`reconciliation.review` of a run's detail):
 * amounts are decimals in major units with the currency's digits.
 */
export interface BillingReviewSummary {
  /** What the bridge computed as billed. */
  readonly computedBilled: string;
  /** The held amounts approvals released. */
  readonly released: string;
  /** The net of manual credits (negative) and debits. */
  readonly adjusted: string;
  /** Billed after the actions: computed + released + adjusted. */
  readonly billed: string;
  readonly approvals: number;
  readonly adjustments: number;
}
