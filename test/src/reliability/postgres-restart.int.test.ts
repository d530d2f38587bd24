import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCollector } from '@faultline/collector';
import { createCorrelator } from '@faultline/correlator';
import {
  EVENTS_QUEUE,
  eventsPartitionQueue,
  type Component,
  type EventBatch,
} from '@faultline/shared';
import { createPrivatePostgres, type PrivateService } from '../support/private-services.js';
import { createTestDatabase, testSettings, type TestDatabase } from '../support/services.js';
import { faultConfig, faultRuntime, linkTrap, queryRows } from './fault-world.js';

interface TicketView {
  incident: string;
  state: string;
  timeline: string[];
}

describe('PostgreSQL restarted under alarm and ticket writes (a private cluster)', () => {
  let server: PrivateService;
  let database: TestDatabase;
  const running: Component[] = [];

  beforeAll(async () => {
    server = await createPrivatePostgres();
    await server.start();
    database = await createTestDatabase(server.url);
  });

  afterAll(async () => {
    for (const component of running.reverse()) await component.stop();
    await database.drop();
    await server.destroy();
  });

  /** Every ticket with its incident's title and its timeline, by incident title. */
  const tickets = async (): Promise<TicketView[]> =>
    queryRows<TicketView>(
      database.url,
      `SELECT i.title AS incident, t.state,
         array(SELECT e.kind FROM ticket_events e WHERE e.ticket_id = t.id ORDER BY e.at, e.id) AS timeline
       FROM tickets t JOIN incidents i ON i.id = t.incident_id ORDER BY i.title`,
    );

  it('retries the writes: no duplicate ticket, no lost transition', async () => {
    const config = await faultConfig();
    const settings = testSettings({
      databaseUrl: database.url,
      trapHost: '127.0.0.1',
      trapPort: 0,
    });
    const runtime = faultRuntime(settings, {
      ...config,
      correlation: { ...config.correlation, holdS: 1 },
    });
    // The shared events queue and the partitions' queues its batches are routed to.
    const queues = [
      EVENTS_QUEUE,
      ...Array.from({ length: runtime.config.correlation.partitions }, (_, partition) =>
        eventsPartitionQueue(partition),
      ),
    ].map(
      (name) =>
        new Queue<EventBatch>(name, {
          connection: { url: settings.redisUrl },
          prefix: settings.prefix,
        }),
    );
    running.push({
      name: 'events queues',
      start: () => Promise.resolve(),
      stop: async () => {
        for (const queue of queues) {
          await queue.obliterate({ force: true });
          await queue.close();
        }
      },
    });
    const correlator = createCorrelator({ runtime, correlationIntervalMs: 100 });
    await correlator.start();
    running.push(correlator);
    const collector = createCollector({ runtime, schedulePolls: false });
    await collector.start();
    running.push(collector);
    const address = collector.trapAddress();
    if (address === undefined) throw new Error('trap receiver has no address');
    const target = `127.0.0.1:${String(address.port)}`;

    // ACME's transit port on access-1 goes down: one incident, one ticket.
    await linkTrap(target, 1, { from: '127.0.1.21' });
    await vi.waitFor(
      async () => {
        expect(await tickets()).toEqual([
          { incident: 'access-1:ge-0/0/1 down', state: 'open', timeline: ['opened'] },
        ]);
      },
      { timeout: 20_000, interval: 200 },
    );

    // PostgreSQL crashes (immediate shutdown). Meanwhile the port comes back and Globex's port on
    // access-2 goes down.
    await server.stop('SIGQUIT');
    await linkTrap(target, 1, { from: '127.0.1.21', up: true });
    await linkTrap(target, 1, { from: '127.0.1.22' });
    // The correlator has tried to apply both and failed.
    await vi.waitFor(
      async () => {
        const jobs = await Promise.all(
          queues.map((queue) => queue.getJobs(['delayed', 'failed', 'waiting'])),
        );
        const tried = jobs.flat().filter((job) => job.attemptsMade > 0);
        expect(tried.reduce((sum, job) => sum + job.data.events.length, 0)).toBe(2);
      },
      { timeout: 20_000, interval: 100 },
    );
    await server.start();

    await vi.waitFor(
      async () => {
        expect(await tickets()).toEqual([
          {
            incident: 'access-1:ge-0/0/1 down',
            state: 'resolved',
            timeline: ['opened', 'resolved'],
          },
          { incident: 'access-2:ge-0/0/1 down', state: 'open', timeline: ['opened'] },
        ]);
      },
      { timeout: 45_000, interval: 250 },
    );
    const transitions = await queryRows<{ key: string; changes: string[] }>(
      database.url,
      `SELECT a.reduction_key AS key, array_agg(h.change ORDER BY h.at, h.id) AS changes
       FROM alarms a JOIN alarm_history h ON h.alarm_id = a.id GROUP BY a.reduction_key ORDER BY 1`,
    );
    expect(transitions).toEqual([
      { key: 'linkDown:access-1:ifIndex=1', changes: ['raised', 'cleared'] },
      { key: 'linkDown:access-2:ifIndex=1', changes: ['raised'] },
    ]);
  }, 90_000);
});
