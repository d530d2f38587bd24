/**
 * Reading back a period label (`periodLabel`): `2026-04` is the period starting on day 1 of
 * April 2026, `2026-04-15` the one starting on the 15th. A label names a customer's period only
 * when its day is the customer's anchor day (a missing day means day 1).
 */
import { billingPeriod, type BillingPeriod } from './periods.js';

/** The customer's period with this label, or null when the label does not name one of theirs. */
export function periodFromLabel(
  label: string,
  anchorDay: number,
  timeZone: string,
): BillingPeriod | null {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(label);
  if (match === null) return null;
  const [, year = '', month = '', day = '01'] = match;
  const monthNumber = Number(month);
  if (monthNumber < 1 || monthNumber > 12 || Number(day) !== anchorDay) return null;
  return billingPeriod(Number(year), monthNumber, anchorDay, timeZone);
}
