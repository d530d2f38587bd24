import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SCENARIOS_DIR,
  isScenarioPath,
  listScenarioFiles,
  loadScenarioFile,
  readScenarioByName,
  readScenarioPath,
  scenarioFolders,
} from './scenario-files.js';

const network = {
  devices: [
    {
      name: 'edge-1',
      address: '127.0.0.5',
      kind: 'access' as const,
      snmp: { version: '2c' as const, community: 'public' },
      pollIntervalS: 60,
      interfaces: [{ ifIndex: 1, name: 'ge-0/0/1', speedMbps: 1000 }],
    },
  ],
};
const flap = (description: string): string =>
  `description: ${description}\nsteps:\n  - { at: 0s, action: linkDown, device: edge-1, interface: ge-0/0/1 }\n`;

describe('scenario files', () => {
  let root: string;
  let own: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'faultline-scenarios-'));
    own = join(root, 'own');
    await mkdir(own);
    await writeFile(join(own, 'edge-flap.yaml'), flap('my own flap'));
    // Shadows the repository's scenario of the same name.
    await writeFile(join(own, 'fibre-cut.yaml'), flap('my fibre cut'));
    await writeFile(join(root, 'Core_Cut.yml'), flap('anywhere'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('looks names up in the config folder first, then the repository folder', async () => {
    const folders = scenarioFolders({ simulator: { scenariosDir: own } });
    expect(folders).toEqual([own, DEFAULT_SCENARIOS_DIR]);
    expect(scenarioFolders({ simulator: {} })).toEqual([DEFAULT_SCENARIOS_DIR]);
    const names = await listScenarioFiles(folders);
    expect(names).toContain('edge-flap');
    expect(names).toContain('trap-storm');
    expect(names.filter((n) => n === 'fibre-cut')).toHaveLength(1);
    const own1 = await loadScenarioFile(folders, 'fibre-cut', network);
    expect(own1.ok && own1.value.description).toBe('my fibre cut');
  });

  it('answers an unknown name with the known ones, and an unreadable folder by its path', async () => {
    const unknown = await readScenarioByName([own], 'nope');
    expect(unknown).toEqual({
      ok: false,
      problems: [
        { path: '(name)', message: 'no scenario named "nope"; known: edge-flap, fibre-cut' },
      ],
    });
    await expect(listScenarioFiles([join(root, 'missing')])).rejects.toThrow(
      /cannot read the scenarios folder .*missing/,
    );
  });

  it('reads a file from any path, named after the file', async () => {
    const read = await readScenarioPath(join(root, 'Core_Cut.yml'));
    expect(read.ok && read.value.name).toBe('core-cut');
    const missing = await readScenarioPath(join(root, 'absent.yaml'));
    expect(missing.ok ? [] : missing.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^cannot read .*absent\.yaml: ENOENT/) as unknown,
    ]);
  });

  it.each([
    ['fibre-cut', false],
    ['./mine', true],
    ['/tmp/x/y', true],
    ['mine.yaml', true],
    ['mine.YML', true],
  ])('takes %s for a path: %s', (argument, path) => {
    expect(isScenarioPath(argument)).toBe(path);
  });
});
