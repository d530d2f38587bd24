import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const UNITS = join(ROOT, 'deploy/systemd');
const PARTS = ['collector', 'correlator', 'billing-bridge', 'api'];

/** The unit file of a part: a template for the collector, which may run twice on a machine. */
const unitOf = (part: string): string =>
  part === 'collector' ? 'faultline-collector@.service' : `faultline-${part}.service`;

describe('the systemd units in deploy/systemd', () => {
  it('has one unit per part, each starting that part from the repository', async () => {
    const files = (await readdir(UNITS)).filter((name) => name.endsWith('.service'));
    expect(files.sort()).toEqual(PARTS.map(unitOf).sort());
    for (const part of PARTS) {
      const text = await readFile(join(UNITS, unitOf(part)), 'utf8');
      expect(text).toContain(`ExecStart=/usr/bin/node ${part}/dist/main.js\n`);
      expect(existsSync(join(ROOT, part, 'dist/main.js'))).toBe(true);
    }
  });

  it('passes systemd-analyze verify without a word', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faultline-units-'));
    try {
      const paths: string[] = [];
      for (const part of PARTS) {
        const unit = unitOf(part);
        await copyFile(join(UNITS, unit), join(dir, unit));
        // A template is verified through an instance of it.
        const instance = unit.replace('@.', '@1.');
        if (instance !== unit) await symlink(join(dir, unit), join(dir, instance));
        paths.push(join(dir, instance));
      }
      const { stdout, stderr } = await run('systemd-analyze', ['verify', ...paths]);
      expect(`${stdout}${stderr}`).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
