/**
 * Budget warnings from the live views: each warning due (`dueBudgetWarnings`) goes to every
 * channel of the customer's contact once, recorded before it is sent; a send that fails is
 * forgotten again, so the next live view retries it.
 */
import type { BillingLive, Config, Logger } from '@faultline/shared';
import { budgetWarningKey, dueBudgetWarnings } from '../core/index.js';
import type { BudgetWarningLog, BudgetWarningSender } from '../ports.js';

/** What the warnings need. */
export interface BudgetWarningsDeps {
  readonly config: Config;
  readonly log: BudgetWarningLog;
  readonly send: BudgetWarningSender;
  readonly logger: Logger;
}

/** Sends the warnings the views make due; returns how many were sent. */
export type BudgetWarnings = (views: readonly BillingLive[]) => Promise<number>;

/** Creates the use-case. */
export function createBudgetWarnings(deps: BudgetWarningsDeps): BudgetWarnings {
  const { config } = deps;
  const logger = deps.logger.child({ part: 'budget-warnings' });
  return async (views) => {
    let sent = 0;
    for (const view of views) {
      const customer = config.customers.find((candidate) => candidate.id === view.customerId);
      const channels = customer?.contact?.channels ?? [];
      if (customer === undefined || channels.length === 0) continue;
      for (const warning of dueBudgetWarnings(
        view,
        customer,
        config.billing.budgetWarningPercent,
      )) {
        for (const name of channels) {
          const channel = config.paging.channels.find((candidate) => candidate.name === name);
          // The config check makes every contact channel a configured one.
          if (channel === undefined || !(await deps.log.claim(warning, name))) continue;
          const fields = { warning: budgetWarningKey(warning), channel: name };
          try {
            await deps.send(channel, warning);
            sent++;
            logger.info({ ...fields, usedPercent: warning.usedPercent }, 'budget warning sent');
          } catch (error) {
            await deps.log.release(warning, name);
            logger.warn({ ...fields, err: error }, 'budget warning failed; retried next view');
          }
        }
      }
    }
    return sent;
  };
}
