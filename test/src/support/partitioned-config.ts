import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLE = fileURLToPath(new URL('../../../config/example.yaml', import.meta.url));

/**
 * The example config with `partitions` event partitions (`correlation.partitions`), written to a
 * file of its own for processes started with `FAULTLINE_CONFIG`; answers with its path.
 */
export async function exampleConfigWithPartitions(partitions: number): Promise<string> {
  const text = await readFile(EXAMPLE, 'utf8');
  const changed = text.replace(/^ {2}partitions: \d+$/m, `  partitions: ${String(partitions)}`);
  if (changed === text && partitions !== 1)
    throw new Error('config/example.yaml has no `  partitions:` line under correlation');
  const path = join(await mkdtemp(join(tmpdir(), 'faultline-config-')), 'config.yaml');
  await writeFile(path, changed);
  return path;
}
