import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type ApiComponent } from '@faultline/api';
import { createCollector } from '@faultline/collector';
import { createCorrelator } from '@faultline/correlator';
import {
  createLogger,
  parseConfig,
  startAll,
  type Alarm,
  type Config,
  type Runtime,
} from '@faultline/shared';
import { snmptrap } from '../collector/snmp-tools.js';
import { collectPageProblems, launchBrowser } from '../support/browser.js';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import { freeUdpPort } from '../support/ports.js';

/**
 * The first slice through every part: a real SNMPv2c trap sent by Net-SNMP's `snmptrap` reaches
 * the collector's UDP port, becomes an event on the BullMQ queue, an alarm in PostgreSQL through
 * the correlator, a live change pushed by the api over socket.io, and a row in the dashboard in
 * real Chromium, without a reload. The matching linkUp clears it the same way.
 */

const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const LINK_UP = '1.3.6.1.6.3.1.1.5.4';
const IF_INDEX = '1.3.6.1.2.1.2.2.1.1';
const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

async function exampleConfig(influxDatabase: string): Promise<Config> {
  const text = await readFile(new URL('../../../config/example.yaml', import.meta.url), 'utf8');
  const parsed = parseConfig(text);
  if (!parsed.ok) throw new Error(`example config invalid: ${JSON.stringify(parsed.problems)}`);
  return {
    ...parsed.value,
    influx: { ...parsed.value.influx, database: influxDatabase },
    // A test's MQTT session must not outlive it on the shared broker.
    telemetry: { ...parsed.value.telemetry, sessionExpiryS: 0 },
  };
}

describe('a trap travels from the network to the dashboard', () => {
  let database: TestDatabase;
  let dropInflux: () => Promise<void>;
  let stopAll: () => Promise<boolean>;
  let api: ApiComponent;
  let trapPort: number;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const influx = await createInfluxDatabase();
    dropInflux = () => influx.drop();
    trapPort = await freeUdpPort();
    const runtime: Runtime = {
      settings: testSettings({
        databaseUrl: database.url,
        trapPort,
        httpPort: 0,
        adminToken: ADMIN_TOKEN,
      }),
      config: await exampleConfig(influx.name),
      logger: createLogger({ level: 'silent' }),
    };
    api = createApi({ runtime });
    stopAll = await startAll(
      [
        createCorrelator({ runtime }),
        // No agents answer in this test: polls would only time out.
        createCollector({ runtime, schedulePolls: false }),
        api,
      ],
      runtime.logger,
    );
    const address = api.address();
    if (!address) throw new Error('api is not listening');
    baseUrl = `http://127.0.0.1:${String(address.port)}`;
    browser = await launchBrowser();
    page = await browser.newPage();
    problems = collectPageProblems(page);
    await page.goto(`${baseUrl}/?token=${ADMIN_TOKEN}`);
  });

  afterAll(async () => {
    await browser.close();
    await stopAll();
    await dropInflux();
    await database.drop();
  });

  async function alarms(state: string): Promise<Alarm[]> {
    const response = await fetch(`${baseUrl}/api/alarms?state=${state}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { alarms: Alarm[] }).alarms;
  }

  function linkTrap(oid: string, source: string, ifIndex: number): Promise<void> {
    const index = String(ifIndex);
    return snmptrap([
      '-v',
      '2c',
      '-c',
      'public',
      `--clientaddr=${source}`,
      `127.0.0.1:${String(trapPort)}`,
      '',
      oid,
      `${IF_INDEX}.${index}`,
      'i',
      index,
    ]);
  }

  it('raises the alarm live, counts repeats, and clears it with linkUp', async () => {
    const key = 'linkDown:access-1:ifIndex=1';
    const row = page.locator(`[data-reduction-key="${key}"]`);

    await linkTrap(LINK_DOWN, '127.0.1.21', 1);
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('active');
    const [raised] = (await alarms('open')).filter((alarm) => alarm.reductionKey === key);
    expect(raised).toMatchObject({
      device: 'access-1',
      deviceKnown: true,
      component: 'ge-0/0/1',
      type: 'linkDown',
      severity: 'major',
      state: 'active',
      count: 1,
    });

    await linkTrap(LINK_DOWN, '127.0.1.21', 1);
    await expect
      .poll(async () => (await alarms('open')).find((alarm) => alarm.reductionKey === key)?.count, {
        timeout: 20_000,
      })
      .toBe(2);

    await linkTrap(LINK_UP, '127.0.1.21', 1);
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('cleared');
    expect((await alarms('open')).some((alarm) => alarm.reductionKey === key)).toBe(false);
    const cleared = (await alarms('all')).find((alarm) => alarm.reductionKey === key);
    expect(cleared).toMatchObject({ state: 'cleared', count: 2, id: raised?.id });
    expect(problems).toEqual([]);
  });

  it('raises an alarm for a trap from an address not in the config, marked unknown', async () => {
    await linkTrap(LINK_DOWN, '127.0.0.1', 7);
    const key = 'linkDown:127.0.0.1:ifIndex=7';
    await expect
      .poll(() => page.locator(`[data-reduction-key="${key}"]`).getAttribute('data-state'), {
        timeout: 20_000,
      })
      .toBe('active');
    const alarm = (await alarms('open')).find((candidate) => candidate.reductionKey === key);
    expect(alarm).toMatchObject({ device: '127.0.0.1', deviceKnown: false, count: 1 });
  });
});
