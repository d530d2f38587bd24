import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, createLogger, type BillingLive } from '@faultline/shared';
import { createBillingBridge, type BillingBridge } from '@faultline/billing-bridge';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import { billingConfig, insertOutages, monthLines, START_MS, writeLines } from './billing-data.js';

describe('live billing on the billing channel', () => {
  let database: TestDatabase;
  let influx: { name: string; drop(): Promise<void> };
  let bridge: BillingBridge | undefined;
  let subscriber: Redis;
  const settings = testSettings();

  beforeAll(async () => {
    database = await createTestDatabase();
    influx = await createInfluxDatabase();
    await writeLines(influx.name, monthLines());
    await insertOutages(database.url);
    subscriber = new Redis(settings.redisUrl);
    subscriber.on('error', () => undefined);
    await subscriber.subscribe(channels(settings.prefix).billing);
  });

  afterAll(async () => {
    await bridge?.stop();
    await subscriber.quit();
    await influx.drop();
    await database.drop();
  });

  it('publishes usage so far, the projected 95th and the SLA budget at start', async () => {
    const message = new Promise<BillingLive>((resolve) => {
      subscriber.on('message', (_channel, text: string) => {
        resolve(JSON.parse(text) as BillingLive);
      });
    });
    // 11 April 00:00: 10 days = 2,880 buckets elapsed, including the transit's 432 bursts at
    // 900 Mbps (buckets 1000..1431) and the one-hour outage of 10 April.
    bridge = createBillingBridge({
      runtime: {
        settings: { ...settings, databaseUrl: database.url },
        config: billingConfig(influx.name, '{ liveIntervalS: 3600 }'),
        logger: createLogger({ level: 'silent' }),
      },
      now: () => START_MS + 10 * 86_400_000,
    });
    await bridge.start();
    const view = await message;
    expect(view).toMatchObject({ customerId: 'acme', period: '2026-04' });
    const transit = view.services.find((s) => s.serviceId === 'acme-transit');
    // So far 432 of 2,880 buckets burst: 15 % > 5 %, the 95th so far is 900 Mbps. Over the month
    // (8,640 buckets, 432 dropped) with the rest at the mean, the bursts are all dropped and the
    // mean so far, (432 × 900 + 2,448 × 100) / 2,880 = 220 Mbps, is billed.
    expect(transit).toMatchObject({
      inOctets: String(432n * 33_750_000_000n + 2448n * 3_750_000_000n),
      percentile95Bps: 900_000_000,
      projectedPercentile95Bps: 220_000_000,
      coveragePercent: 100,
      downtimeMinutes: 60,
      // Gold's next tier is < 99.5 % (25 % is already reached): 216 − 60 minutes left.
      slaBudgetMinutes: 156,
    });
    expect(
      bridge.metrics().find((m) => m.name === 'faultline_billing_live_views_total')?.value,
    ).toBe(1);
  });
});
