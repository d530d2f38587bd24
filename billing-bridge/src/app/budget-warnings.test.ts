import { describe, expect, it } from 'vitest';
import { createLogger, parseConfig, type BillingLive } from '@faultline/shared';
import { budgetWarningKey } from '../core/index.js';
import type { BudgetWarningLog } from '../ports.js';
import { createBudgetWarnings } from './budget-warnings.js';

const checked = parseConfig(`
devices:
  - name: r1
    address: 127.0.0.10
    snmp: { version: 2c, community: public }
    interfaces: [{ ifIndex: 1, name: ge-0/0/1, speedMbps: 1000 }]
pricePlans: [{ id: flat, type: flat, monthlyCharge: '10.00' }]
slas: [{ id: gold, tiers: [{ belowPercent: 99.9, creditPercent: 10 }], creditCapPercent: 50 }]
customers:
  - id: c1
    name: Customer One
    currency: EUR
    services: [{ id: s1, device: r1, interface: ge-0/0/1, plan: flat, sla: gold }]
    contact: { channels: [chat, hook] }
paging:
  channels:
    - { name: chat, type: slack, url: 'https://hooks.example/x' }
    - { name: hook, type: webhook, url: 'https://hooks.example/y', secret: 0123456789abcdef }
`);
if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
const config = checked.value;

const VIEW: BillingLive = {
  customerId: 'c1',
  period: '2026-12',
  periodStart: '2026-12-01T00:00:00.000Z',
  periodEnd: '2027-01-01T00:00:00.000Z',
  at: '2026-12-07T00:00:00.000Z',
  services: [
    {
      serviceId: 's1',
      planId: 'flat',
      inOctets: '0',
      outOctets: '0',
      percentile95Bps: null,
      projectedPercentile95Bps: null,
      coveragePercent: 100,
      downtimeMinutes: 40,
      availabilityPercent: '99.9104',
      slaBudgetMinutes: 4,
      currency: 'EUR',
      sla: {
        slaId: 'gold',
        availabilityPercent: '99.9104',
        tier: null,
        nextTierBelowPercent: '99.9',
        creditMinor: '0',
        nextTierCreditMinor: '100',
        budgetUsedPercent: 89.61,
      },
    },
  ],
};

/** The log as the table keeps it: a set of (warning, channel). */
function memoryLog(): BudgetWarningLog & { readonly keys: Set<string> } {
  const keys = new Set<string>();
  return {
    keys,
    claim(warning, channel) {
      const key = `${budgetWarningKey(warning)}@${channel}`;
      const fresh = !keys.has(key);
      keys.add(key);
      return Promise.resolve(fresh);
    },
    release(warning, channel) {
      keys.delete(`${budgetWarningKey(warning)}@${channel}`);
      return Promise.resolve();
    },
  };
}

describe('budget warnings', () => {
  it('sends each warning once per channel, and a failed send again with the next view', async () => {
    const log = memoryLog();
    const sent: string[] = [];
    let chatUp = false;
    const warn = createBudgetWarnings({
      config,
      log,
      send: (channel) => {
        if (channel.name === 'chat' && !chatUp) return Promise.reject(new Error('chat is down'));
        sent.push(channel.name);
        return Promise.resolve();
      },
      logger: createLogger({ level: 'silent' }),
    });
    expect(await warn([VIEW])).toBe(1); // the webhook; the chat failed and was released
    expect([...log.keys]).toEqual(['c1/s1/2026-12/below-99.9@hook']);
    chatUp = true;
    expect(await warn([VIEW])).toBe(1); // the chat, now up; not the webhook again
    expect(await warn([VIEW])).toBe(0);
    expect(sent).toEqual(['hook', 'chat']);
    // Another period (or tier) is another warning.
    expect(await warn([{ ...VIEW, period: '2027-01' }])).toBe(2);
  });
});
