import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { Incident } from '@faultline/shared';
import { createPrivateMosquitto, type PrivateService } from '../support/private-services.js';
import { influxQuery, uniqueName } from '../support/services.js';
import { WAIT, startDemo, type AlarmRecord, type Demo, type Snapshot } from './demo-world.js';

/**
 * The demo's scenarios, each from a fresh start of the whole system with the simulator as its
 * network (config/example.yaml), give exactly the incidents, tickets and pages a NOC engineer
 * expects (issue #14). Each test starts the system, lets the devices' cold starts settle, runs
 * one scenario through the api at a speed-up (the system's clocks scaled with it), and reads the
 * incidents from the api, the alarms and tickets from PostgreSQL and the pages from a loopback
 * webhook. Expectations are soft: a failure lists every unmet one with the whole snapshot.
 */

const DEVICES = ['access-1', 'access-2', 'access-3', 'agg-1', 'agg-2', 'core-1', 'core-2'];

const at = (alarm: AlarmRecord): string => `${alarm.device}:${alarm.component ?? ''}`;
const alarmById = (snap: Snapshot, id: string): AlarmRecord | undefined =>
  snap.alarms.find((a) => a.id === id);
/** The incident of the first alarm of `type` raised at `place` since `sinceMs`. */
const incidentOf = (
  snap: Snapshot,
  sinceMs: number,
  type: string,
  place: string,
): Incident | undefined => {
  const alarm = snap.alarms.find(
    (a) => a.raisedAtMs >= sinceMs && a.type === type && at(a) === place,
  );
  return alarm && snap.incidents.find((i) => i.alarmIds.includes(alarm.id));
};
/**
 * Every alarm raised since `sinceMs` has cleared, and every incident any of them belongs to has
 * resolved: the scenario is over, whatever the incidents wait for after the last clear.
 */
const settled = (snap: Snapshot, sinceMs: number): boolean => {
  const raised = snap.alarms.filter((a) => a.raisedAtMs >= sinceMs);
  return (
    raised.every((a) => a.state === 'cleared') &&
    snap.incidents
      .filter((i) => raised.some((a) => i.alarmIds.includes(a.id)))
      .every((i) => i.state === 'resolved')
  );
};
const services = (incident: Incident): string[] =>
  incident.impactedServices.map((s) => `${s.customerId}/${s.serviceId}`);
/** One line per thing, so a failed expectation shows what the wall would. */
const lines = (snap: Snapshot) => ({
  alarms: (list: readonly AlarmRecord[]) =>
    list.map((a) => `${a.type} ${at(a)} ${a.state} in ${a.incidentId ?? '-'}`),
  incidents: snap.incidents.map((i) => `${i.id} ${i.state} "${i.title}"`),
  tickets: snap.tickets.map((t) => `${t.id} ${t.state} "${t.title}"`),
  pushes: snap.pushes.map((p) => `${p.kind} ${p.incident.id}`),
});

describe('the demo scenarios from a fresh start (npm start, simulated network)', () => {
  let mosquitto: PrivateService;
  const influxDatabase = uniqueName('demo');

  beforeAll(async () => {
    // Telemetry topics are not prefixed: a broker of its own keeps other demos' readings out.
    mosquitto = await createPrivateMosquitto();
    await mosquitto.start();
  });

  afterAll(async () => {
    await mosquitto.destroy();
    await influxQuery(`DROP DATABASE "${influxDatabase}"`);
  });

  /** Starts the demo and waits for the seven devices' cold starts to be recorded and polled. */
  async function freshStart(speedup: number): Promise<Demo> {
    const demo = await startDemo({ speedup, mqttUrl: mosquitto.url, influxDatabase });
    onTestFinished(() => demo.stop());
    // Each device's restart record ends at its first poll: the wall is quiet before a scenario.
    await vi.waitFor(async () => {
      const coldStarts = (await demo.snapshot()).alarms.filter((a) => a.type === 'coldStart');
      expect(coldStarts.map((a) => `${a.device} ${a.state}`).sort()).toEqual(
        DEVICES.map((d) => `${d} cleared`),
      );
    }, WAIT);
    await demo.barrier();
    return demo;
  }

  /**
   * Reads the demo until `done` holds of what it shows, remembering every version of every
   * incident seen on the way (an incident's worst moment passes); then waits for the barrier.
   * Not getting there within the scenario's length and half a minute is an unmet expectation.
   */
  async function watch(
    demo: Demo,
    lengthMs: number,
    what: string,
    done: (snap: Snapshot) => boolean | Promise<boolean>,
  ): Promise<{ snap: Snapshot; seen: Incident[] }> {
    const seen = new Map<string, Incident>();
    let last = await demo.snapshot();
    const reached = await vi
      .waitFor(
        async () => {
          last = await demo.snapshot();
          for (const i of last.incidents) seen.set(`${i.id} v${String(i.version)}`, i);
          if (!(await done(last))) throw new Error(what);
        },
        { timeout: lengthMs + WAIT.timeout, interval: WAIT.interval },
      )
      .then(
        () => true,
        () => false,
      );
    expect.soft(reached, `${what}\n${last.text}`).toBe(true);
    await demo.barrier();
    return { snap: await demo.snapshot(), seen: [...seen.values()] };
  }

  it('is quiet after start: the cold starts are recorded, cleared once polled, nothing opens', async () => {
    const demo = await freshStart(6);
    const snap = await demo.snapshot();
    const shown = lines(snap);
    expect
      .soft(snap.alarms.map((a) => `${a.type} ${a.device} ${a.state}`).sort(), snap.text)
      .toEqual(DEVICES.map((d) => `coldStart ${d} cleared`));
    expect.soft(shown.incidents, snap.text).toEqual([]);
    expect.soft(shown.tickets, snap.text).toEqual([]);
    expect.soft(shown.pushes, snap.text).toEqual([]);
  });

  it('fibre-cut: one incident rooted on both uplinks of agg-2, paged once, resolved once, never renamed', async () => {
    // 3m10s at 6x: the repair comes 32 s after the cut; agg-2's polls (every 5 s) fail meanwhile.
    const demo = await freshStart(6);
    const startMs = Date.now();
    const lengthMs = await demo.runScenario('fibre-cut');
    // Over once both uplinks were repaired and what the cut raised has cleared and resolved, and
    // the devices it cut off have answered a poll since: a poll in flight across the repair that
    // failed has been counted by then.
    const uplinks = ['core-1:xe-0/0/2', 'core-2:xe-0/0/3'];
    const { snap, seen } = await watch(
      demo,
      lengthMs,
      'both uplinks cut and repaired, all cleared and resolved, agg-2 and access-3 polled since',
      async (s) => {
        const cuts = s.alarms.filter(
          (a) => a.raisedAtMs >= startMs && a.type === 'linkDown' && uplinks.includes(at(a)),
        );
        const repairedMs = Math.max(...cuts.map((a) => a.clearedAtMs ?? Infinity));
        if (cuts.length < 2 || repairedMs === Infinity || !settled(s, startMs)) return false;
        for (const device of ['agg-2', 'access-3']) {
          if (((await demo.lastAnsweredMs(device)) ?? 0) <= repairedMs) return false;
        }
        return true;
      },
    );
    const { text } = snap;
    const shown = lines(snap);
    const raised = snap.alarms.filter((a) => a.raisedAtMs >= startMs);

    expect.soft(shown.incidents, text).toHaveLength(1);
    const incident = incidentOf(snap, startMs, 'linkDown', 'core-1:xe-0/0/2');
    expect.soft(incident, text).toBeDefined();
    if (incident === undefined) return;
    // At its worst: both uplinks down, agg-2 and access-3 cut off, Initech down.
    const worst = seen.find((i) => i.id === incident.id && i.cutOffDevices.length === 2);
    expect.soft(worst?.cutOffDevices.toSorted(), text).toEqual(['access-3', 'agg-2']);
    expect.soft(worst && services(worst), text).toEqual(['initech/initech-office']);
    const roots = incident.rootAlarmIds.map((id) => alarmById(snap, id));
    expect
      .soft(
        roots.map((a) => (a === undefined ? '?' : `${a.type} ${at(a)}`)),
        text,
      )
      .toEqual(['linkDown core-1:xe-0/0/2', 'linkDown core-2:xe-0/0/3']);
    expect.soft(incident.primaryAlarmId, text).toBe(incident.rootAlarmIds[0]);
    // Every alarm the cut raised is the incident's (the far end, agg-2 unreachable); the cold
    // starts from before the cut are not.
    expect.soft(shown.alarms(raised.filter((a) => a.incidentId !== incident.id)), text).toEqual([]);
    const coldStarts = snap.alarms.filter((a) => a.type === 'coldStart' && a.incidentId !== null);
    expect.soft(shown.alarms(coldStarts), text).toEqual([]);
    // One ticket, one page when it opened, one when it resolved; it resolves with the name it had
    // at its worst, and the primary root and ticket it was paged with.
    expect.soft(shown.tickets, text).toEqual([`${incident.ticketId} resolved "${incident.title}"`]);
    expect.soft(shown.pushes, text).toEqual([`opened ${incident.id}`, `resolved ${incident.id}`]);
    expect.soft(incident.state, text).toBe('resolved');
    expect.soft(incident.title, text).toBe(worst?.title);
    const opened = snap.pushes.find(
      (p) => p.kind === 'opened' && p.incident.id === incident.id,
    )?.incident;
    expect.soft(opened?.primaryAlarmId, text).toBe(incident.primaryAlarmId);
    expect.soft(opened?.ticketId, text).toBe(incident.ticketId);
    const resolved = snap.pushes.find(
      (p) => p.kind === 'resolved' && p.incident.id === incident.id,
    )?.incident;
    expect.soft(resolved?.title, text).toBe(worst?.title);
  }, 120_000);

  it('flapping-port: one incident and one ticket from the first flap to the end, shown flapping with its count', async () => {
    // A minute of flaps at 6x: 10 s; then a flap window (its minimum, 10 s) without a raise.
    const demo = await freshStart(6);
    const startMs = Date.now();
    const lengthMs = await demo.runScenario('flapping-port');
    const onPort = (s: Snapshot) =>
      s.alarms.filter((a) => a.raisedAtMs >= startMs && at(a) === 'access-1:ge-0/0/2');
    const { snap, seen } = await watch(
      demo,
      lengthMs,
      'six flaps raised, then all cleared and resolved',
      (s) => onPort(s).length >= 6 && settled(s, startMs),
    );
    const { text } = snap;
    const shown = lines(snap);

    expect.soft(shown.incidents, text).toHaveLength(1);
    const incident = incidentOf(snap, startMs, 'linkDown', 'access-1:ge-0/0/2');
    expect.soft(incident, text).toBeDefined();
    if (incident === undefined) return;
    const primary = alarmById(snap, incident.primaryAlarmId);
    expect
      .soft(primary && `${primary.type} ${at(primary)}`, text)
      .toBe('linkDown access-1:ge-0/0/2');
    const flapping = seen.filter((i) => i.id === incident.id && (i.flapCount ?? 0) >= 3);
    expect
      .soft(flapping.length, `shown flapping with a count of 3 or more\n${text}`)
      .toBeGreaterThan(0);
    const down = seen.filter((i) => i.id === incident.id && i.state !== 'resolved');
    expect
      .soft(
        down.flatMap(services).filter((s, n, all) => all.indexOf(s) === n),
        text,
      )
      .toEqual(['umbrella/umbrella-dc']);
    const raised = snap.alarms.filter((a) => a.raisedAtMs >= startMs);
    expect.soft(shown.alarms(raised.filter((a) => a.incidentId !== incident.id)), text).toEqual([]);
    expect.soft(shown.tickets, text).toEqual([`${incident.ticketId} resolved "${incident.title}"`]);
    // Paged when it opens; if the first flap outlasted the hold, it resolved and re-opened once
    // (a repage saying so), and flapped from then on: never more than that, resolved at the end.
    const once = [`opened ${incident.id}`, `resolved ${incident.id}`];
    const reopened = [
      `opened ${incident.id}`,
      `resolved ${incident.id}`,
      `repage ${incident.id}`,
      `resolved ${incident.id}`,
    ];
    expect.soft([once, reopened], text).toContainEqual(shown.pushes);
  }, 120_000);

  it('device-reboot: the cold start is recorded; no incident, no ticket, no page', async () => {
    // 45 s of silence at 6x: 7.5 s, less than three polls of access-2 (10 s apart), as in real time.
    const demo = await freshStart(6);
    const startMs = Date.now();
    const lengthMs = await demo.runScenario('device-reboot');
    // The reboot's cold start is a new record, cleared once the device answers a poll again.
    const rebooted = (s: Snapshot) =>
      s.alarms.filter(
        (a) => a.type === 'coldStart' && a.device === 'access-2' && a.raisedAtMs >= startMs,
      );
    const { snap } = await watch(demo, lengthMs, 'access-2 cold-started again, then polled', (s) =>
      rebooted(s).some((a) => a.state === 'cleared'),
    );
    const { text } = snap;
    const shown = lines(snap);

    expect
      .soft(shown.alarms(snap.alarms.filter((a) => a.raisedAtMs >= startMs)), text)
      .toEqual(['coldStart access-2: cleared in -']);
    expect.soft(shown.incidents, text).toEqual([]);
    expect.soft(shown.tickets, text).toEqual([]);
    expect.soft(shown.pushes, text).toEqual([]);
  }, 120_000);

  it('optics-degrading: one incident for the link core-1:xe-0/0/2, its optics alarms folded in', async () => {
    // 14 minutes at 60x: 14 s, the link down for 4 s of it; telemetry every 167 ms.
    const demo = await freshStart(60);
    const startMs = Date.now();
    const lengthMs = await demo.runScenario('optics-degrading');
    const { snap } = await watch(
      demo,
      lengthMs,
      'the link and its optics raised, then all cleared and resolved',
      (s) => {
        const raised = s.alarms.filter((a) => a.raisedAtMs >= startMs);
        return (
          raised.some((a) => a.type === 'linkDown' && at(a) === 'core-1:xe-0/0/2') &&
          raised.some((a) => a.source === 'threshold') &&
          settled(s, startMs)
        );
      },
    );
    const { text } = snap;
    const shown = lines(snap);
    const raised = snap.alarms.filter((a) => a.raisedAtMs >= startMs);

    // Loss of light on both ends of the link.
    const optics = raised.filter((a) => a.source === 'threshold').map((a) => `${a.type} ${at(a)}`);
    expect
      .soft(optics.toSorted(), text)
      .toEqual(['optical-rx-low agg-2:xe-0/0/48', 'optical-rx-low core-1:xe-0/0/2']);
    expect.soft(shown.incidents, text).toHaveLength(1);
    const incident = incidentOf(snap, startMs, 'linkDown', 'core-1:xe-0/0/2');
    expect.soft(incident, text).toBeDefined();
    if (incident === undefined) return;
    const primary = alarmById(snap, incident.primaryAlarmId);
    expect.soft(primary && `${primary.type} ${at(primary)}`, text).toBe('linkDown core-1:xe-0/0/2');
    expect.soft(shown.alarms(raised.filter((a) => a.incidentId !== incident.id)), text).toEqual([]);
    expect.soft(shown.tickets, text).toEqual([`${incident.ticketId} resolved "${incident.title}"`]);
    expect.soft(shown.pushes, text).toEqual([`opened ${incident.id}`, `resolved ${incident.id}`]);
  }, 120_000);
});
