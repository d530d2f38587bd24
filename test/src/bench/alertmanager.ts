// Prometheus Alertmanager (Debian's `prometheus-alertmanager`), the peer of the event pipeline:
// started on a loopback port of its own with a storage directory of its own, clustering off, and
// posted alerts over its v2 API the way Prometheus posts them (batches, several requests in
// flight). It keeps alerts in memory only: no occurrence counts, nothing durable.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultEvent } from '@faultline/shared';
import { waitUntil } from './bench-support.js';
import { freeTcpPort } from '../support/ports.js';

/** Alerts per request and requests in flight, as issue #17 measured Alertmanager. */
export const ALERTS_PER_REQUEST = 64;
export const REQUESTS_IN_FLIGHT = 8;

/** An Alertmanager alert of an event: its reduction key's parts as labels. */
function alertOf(event: FaultEvent): unknown {
  return {
    labels: {
      alertname: event.type,
      device: event.device,
      component: event.component ?? '',
      severity: event.severity,
    },
    annotations: { description: event.description },
    startsAt: new Date(event.timeMs).toISOString(),
  };
}

/** Runs Alertmanager, posts `events` as alerts, and answers with alerts/s; always stops it. */
export async function alertmanagerRate(
  events: readonly FaultEvent[],
): Promise<{ alertsPerS: number; elapsedMs: number; alerts: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-alertmanager-'));
  const config = join(dir, 'alertmanager.yml');
  await writeFile(config, 'route: { receiver: none }\nreceivers: [{ name: none }]\n');
  const port = await freeTcpPort();
  const child = spawn(
    'prometheus-alertmanager',
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${String(port)}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${String(port)}/api/v2`;
  try {
    await waitUntil(
      'Alertmanager to start',
      async () => (await fetch(`${base}/status`).catch(() => undefined))?.ok === true,
      { timeoutMs: 30_000 },
    );
    const bodies: string[] = [];
    for (let start = 0; start < events.length; start += ALERTS_PER_REQUEST) {
      bodies.push(JSON.stringify(events.slice(start, start + ALERTS_PER_REQUEST).map(alertOf)));
    }
    let next = 0;
    const started = performance.now();
    const lane = async (): Promise<void> => {
      for (let index = next++; index < bodies.length; index = next++) {
        const response = await fetch(`${base}/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: bodies[index] ?? '[]',
        });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`Alertmanager answered ${String(response.status)}`);
      }
    };
    await Promise.all(Array.from({ length: REQUESTS_IN_FLIGHT }, lane));
    const elapsedMs = performance.now() - started;
    return { alertsPerS: (events.length / elapsedMs) * 1000, elapsedMs, alerts: events.length };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  }
}
