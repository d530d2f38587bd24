import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuntime, startAll, type Component } from './component.js';
import { createLogger } from './logger.js';

describe('loadRuntime', () => {
  let dir: string;
  let badConfig: string;
  let goodConfig: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-runtime-'));
    badConfig = join(dir, 'bad.yaml');
    goodConfig = join(dir, 'good.yaml');
    await writeFile(badConfig, 'extra: 1\ntopology: { roots: [nowhere] }\n');
    await writeFile(goodConfig, '');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true });
  });

  it.each([
    [
      'the environment and the config file together',
      { FAULTLINE_CONFIG: 'bad', FAULTLINE_HTTP_PORT: 'eighty', LOG_FORMAT: 'yaml' },
      [
        'invalid environment:',
        'FAULTLINE_HTTP_PORT',
        'LOG_FORMAT',
        'invalid config',
        'extra',
        'topology.roots.0',
      ],
      [],
    ],
    [
      'the environment alone',
      { FAULTLINE_CONFIG: 'good', FAULTLINE_HTTP_PORT: 'eighty' },
      ['invalid environment:', 'FAULTLINE_HTTP_PORT'],
      ['invalid config'],
    ],
    [
      'the config file alone',
      { FAULTLINE_CONFIG: 'bad' },
      ['invalid config', 'extra', 'topology.roots.0'],
      ['invalid environment'],
    ],
  ])('reports %s in one message', async (_label, env, present, absent) => {
    const files: Record<string, string> = { bad: badConfig, good: goodConfig };
    const loaded = await loadRuntime({ ...env, FAULTLINE_CONFIG: files[env.FAULTLINE_CONFIG] });
    expect(loaded.ok).toBe(false);
    const message = loaded.ok ? '' : loaded.message;
    for (const part of present) expect(message).toContain(part);
    for (const part of absent) expect(message).not.toContain(part);
  });
});

describe('startAll', () => {
  const logger = createLogger({ level: 'silent', format: 'json' });
  const component = (name: string, stopped: string[], stop?: () => Promise<void>): Component => ({
    name,
    start: () => Promise.resolve(),
    stop:
      stop ??
      (() => {
        stopped.push(name);
        return Promise.resolve();
      }),
  });

  it('stops every component in reverse order and says it stopped cleanly', async () => {
    const stopped: string[] = [];
    const stopAll = await startAll(
      [component('a', stopped), component('b', stopped), component('c', stopped)],
      logger,
    );
    expect(await stopAll()).toBe(true);
    expect(stopped).toEqual(['c', 'b', 'a']);
  });

  it('leaves behind a component that never stops, stops the others, and says so', async () => {
    const stopped: string[] = [];
    const stuck = component('stuck', stopped, () => new Promise<void>(() => undefined));
    const stopAll = await startAll(
      [component('a', stopped), stuck, component('c', stopped)],
      logger,
      { stopTimeoutMs: 20 },
    );
    expect(await stopAll()).toBe(false);
    expect(stopped).toEqual(['c', 'a']);
  });

  it('goes on past a component whose stop fails, and says so', async () => {
    const stopped: string[] = [];
    const failing = component('failing', stopped, () => Promise.reject(new Error('boom')));
    const stopAll = await startAll([component('a', stopped), failing], logger);
    expect(await stopAll()).toBe(false);
    expect(stopped).toEqual(['a']);
  });
});
