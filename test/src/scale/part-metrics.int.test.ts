import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { testSettings } from '../support/services.js';
import { linkDownTrap } from '../reliability/fault-world.js';
import {
  METRICS_TOKEN,
  VIEWER_TOKEN,
  metricNames,
  startParts,
  sample,
  scrape,
  type PartsWorld,
} from './scale-world.js';

const RULES = fileURLToPath(
  new URL('../../../deploy/prometheus/faultline-rules.yml', import.meta.url),
);
const TRAPS = 30;

/** The metric names an alert rule's expression reads (`faultline_…`). */
function namesInRules(rules: { groups: { rules: { expr: string }[] }[] }): string[] {
  const exprs = rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr));
  return [...new Set(exprs.flatMap((expr) => expr.match(/faultline_[a-z_]+/g) ?? []))];
}

describe('each part run as its own process serves its own /metrics', () => {
  let world: PartsWorld;

  beforeAll(async () => {
    world = await startParts({ REDIS_URL: testSettings().redisUrl });
  }, 90_000);

  afterAll(async () => {
    await world.destroy();
  });

  const port = (part: string): number => {
    const found = world.parts.get(part)?.metricsPort;
    if (found === undefined) throw new Error(`no port for ${part}`);
    return found;
  };

  it('counts traps through the collector and the correlator, each on its own port', async () => {
    for (let ifIndex = 1; ifIndex <= TRAPS; ifIndex += 1)
      await linkDownTrap(world.trapTarget, ifIndex);
    await vi.waitFor(
      async () => {
        const collector = await scrape(port('collector'));
        expect(collector.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
        expect(sample(collector.body, 'faultline_collector_traps_decoded_total')).toBe(TRAPS);
        expect(sample(collector.body, 'faultline_collector_events_enqueued_total')).toBe(TRAPS);
        const correlator = await scrape(port('correlator'));
        expect(
          sample(correlator.body, 'faultline_correlator_events_total{decision="raised"}'),
        ).toBe(TRAPS);
        expect(sample(correlator.body, 'faultline_correlator_event_batches_rejected_total')).toBe(
          0,
        );
      },
      { timeout: 30_000, interval: 200 },
    );
    // Each part shows its own counters only.
    const billing = await scrape(port('billing-bridge'));
    expect(sample(billing.body, 'faultline_billing_runs_total{outcome="failed"}')).toBe(0);
    expect(billing.body).not.toContain('faultline_collector_');
    const api = await scrape(port('api'));
    expect(api.body).toContain('faultline_api_http_requests_total');
  });

  it('names in its alert rules only metrics the parts serve', async () => {
    const served = new Set<string>();
    for (const part of world.parts.keys()) {
      for (const name of metricNames((await scrape(port(part))).body)) served.add(name);
    }
    const rules = parse(await readFile(RULES, 'utf8')) as {
      groups: { rules: { expr: string }[] }[];
    };
    const named = namesInRules(rules);
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !served.has(name))).toEqual([]);
  });

  it.each(['collector', 'correlator', 'billing-bridge'])(
    "holds the %s's /metrics to the api's rule: a metrics or admin token",
    async (part) => {
      expect((await scrape(port(part), {})).status).toBe(401);
      expect((await scrape(port(part), { token: VIEWER_TOKEN })).status).toBe(403);
      expect((await scrape(port(part), { token: METRICS_TOKEN })).status).toBe(200);
      const other = await fetch(`http://127.0.0.1:${String(port(part))}/api/alarms`);
      expect(other.status).toBe(404);
    },
  );

  it('blocks a client behind the trusted proxy after 20 refused tokens, and only that client', async () => {
    const collector = port('collector');
    for (let n = 0; n < 20; n += 1) {
      const refused = await scrape(collector, { token: 'a-guess', forwardedFor: '192.0.2.7' });
      expect(refused.status).toBe(401);
    }
    // Counted in Redis under the client's address, as the api counts it.
    expect(
      (await scrape(collector, { token: METRICS_TOKEN, forwardedFor: '192.0.2.7' })).status,
    ).toBe(429);
    expect(
      (await scrape(port('correlator'), { token: METRICS_TOKEN, forwardedFor: '192.0.2.7' }))
        .status,
    ).toBe(429);
    expect(
      (await scrape(collector, { token: METRICS_TOKEN, forwardedFor: '192.0.2.8' })).status,
    ).toBe(200);
  });
});
