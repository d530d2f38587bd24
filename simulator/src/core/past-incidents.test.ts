import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, type Config } from '@faultline/shared';
import { pastIncidents } from './past-incidents.js';

const DAY_MS = 86_400_000;
const END_MS = Date.UTC(2026, 10, 25, 10);
let config: Config;

beforeAll(async () => {
  const loaded = await loadConfigFile(
    fileURLToPath(new URL('../../../config/example.yaml', import.meta.url)),
  );
  if (!loaded.ok) throw new Error('example config is invalid');
  config = loaded.value;
});

const startOf = (scenario: string, incidents: ReturnType<typeof pastIncidents>): number =>
  incidents.find((i) => i.scenario === scenario)?.outages[0]?.startMs ?? Number.NaN;

describe('pastIncidents', () => {
  it.each([
    // Period boundary well inside the window: faults sit before it.
    { boundaryDaysAgo: 3 },
    // Boundary a day after the window opens: faults crowd into that day, still inside the window.
    { boundaryDaysAgo: 30 },
  ])('lays out closed-period faults before a boundary $boundaryDaysAgo days ago', (row) => {
    const boundary = END_MS - row.boundaryDaysAgo * DAY_MS;
    const incidents = pastIncidents(config, { endMs: END_MS, periodStartOf: () => boundary });
    for (const scenario of ['fibre-cut', 'power-loss', 'maintenance']) {
      expect(startOf(scenario, incidents)).toBeGreaterThan(END_MS - 31 * DAY_MS);
      const outage = incidents.find((i) => i.scenario === scenario)?.outages[0];
      expect(outage?.endMs).toBeLessThanOrEqual(boundary);
    }
    // The flap ignores the boundary: two days and five hours before the end.
    expect(startOf('flapping-port', incidents)).toBe(END_MS - 2 * DAY_MS - 5 * 3_600_000);
  });

  it('gives the same records for the same end, and other ids for another end', () => {
    const one = pastIncidents(config, { endMs: END_MS });
    expect(pastIncidents(config, { endMs: END_MS })).toEqual(one);
    const later = pastIncidents(config, { endMs: END_MS + DAY_MS });
    const ids = new Set(one.flatMap((i) => [i.incident.id, ...i.alarms.map((a) => a.alarm.id)]));
    expect(later.some((i) => ids.has(i.incident.id))).toBe(false);
    expect(ids.size).toBe(4 + 13);
  });

  it('closes every outage after it starts and clears every alarm', () => {
    for (const past of pastIncidents(config, { endMs: END_MS })) {
      for (const outage of past.outages) expect(outage.endMs - outage.startMs).toBeGreaterThan(0);
      for (const { alarm } of past.alarms) {
        expect(alarm.state).toBe('cleared');
        expect(Date.parse(alarm.clearedAt ?? '')).toBeGreaterThan(Date.parse(alarm.firstSeen));
      }
    }
  });
});
