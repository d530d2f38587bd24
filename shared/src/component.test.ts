import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuntime } from './component.js';

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
