import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnrecoverableError } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { BillingExportRun } from '@faultline/shared';
import { pushRun } from './bss-webhook.js';

const RUN: BillingExportRun = {
  id: 'acme/2026-04/v1',
  customerId: 'acme',
  period: '2026-04',
  periodStart: '2026-03-31T22:00:00.000Z',
  periodEnd: '2026-04-30T22:00:00.000Z',
  version: 1,
  currency: 'EUR',
  contentHash: 'ab',
  totalBilled: '0.00',
  totalHeld: '0.00',
  createdAt: '2026-05-01T00:00:00.000Z',
};

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback HTTP server answering every request with `answer`; counts what it got. */
async function serve(
  answer: (response: http.ServerResponse) => void,
): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((request, response) => {
    hits += 1;
    request.resume();
    request.on('end', () => {
      answer(response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${String(port)}/bss`, hits: () => hits };
}

describe('pushRun', () => {
  const store = (pushed: number[]) => ({
    wasPushed: () => Promise.resolve(false),
    readRun: () => Promise.resolve({ run: RUN, lines: [], created: true }),
    recordPush: (_runId: string, status: number) => {
      pushed.push(status);
      return Promise.resolve();
    },
  });

  it('delivers to the configured URL and records the answer', async () => {
    const bss = await serve((response) => response.writeHead(202).end());
    const pushed: number[] = [];
    await expect(pushRun({ url: bss.url, store: store(pushed) }, RUN.id)).resolves.toBe('sent');
    expect([bss.hits(), pushed]).toEqual([1, [202]]);
  });

  it.each([301, 302, 307, 308])(
    'does not follow a %i redirect elsewhere, and does not retry it',
    async (status) => {
      const elsewhere = await serve((response) => response.writeHead(204).end());
      const bss = await serve((response) =>
        response.writeHead(status, { location: elsewhere.url }).end(),
      );
      const pushed: number[] = [];
      const push = pushRun({ url: bss.url, store: store(pushed) }, RUN.id);
      await expect(push).rejects.toThrow(`BSS webhook answered ${String(status)}`);
      await expect(push).rejects.toBeInstanceOf(UnrecoverableError);
      expect([bss.hits(), elsewhere.hits(), pushed]).toEqual([1, 0, []]);
    },
  );
});
