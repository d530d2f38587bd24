import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A new user's first command is a clean install on the Node the machines have (20, as the README
 * and `engines` say; the test runs on it): npm must not warn that a package wants another Node
 * (EBADENGINE). The install is planned by npm itself (`npm ci --dry-run`) from a copy of the
 * manifests and the lock file, so the checkout's node_modules is not touched.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function npm(args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('npm', args, { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`npm ${args.join(' ')} failed: ${stderr}`, { cause: error }));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

describe('a clean install', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-install-'));
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      workspaces: string[];
    };
    await copyFile(join(ROOT, 'package.json'), join(dir, 'package.json'));
    await copyFile(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
    for (const workspace of manifest.workspaces) {
      await mkdir(join(dir, workspace));
      await copyFile(join(ROOT, workspace, 'package.json'), join(dir, workspace, 'package.json'));
    }
  });

  afterAll(async () => {
    await rm(dir, { recursive: true });
  });

  it('warns of no package wanting another Node than the supported one', async () => {
    const output = await npm(
      ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'],
      dir,
    );
    expect(output).not.toContain('EBADENGINE');
    // The plan was made: the test would pass for nothing if npm had not read the lock file.
    expect(output).toMatch(/added \d+ packages/);
  });
});
