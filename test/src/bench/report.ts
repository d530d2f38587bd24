// Renders every result under .cache/bench/ into docs/benchmarks.md, between the results markers,
// with the machine and the date, so the document always shows the last full `npm run bench`.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { RESULTS_DIR, renderResult, type BenchResult } from './result.js';

const DOC = join(process.cwd(), 'docs', 'benchmarks.md');
const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';
/** The order of sections in the report; a result not listed here follows at the end. */
const ORDER = [
  'trap-ingest',
  'pipeline',
  'storm',
  'latency',
  'polling',
  'billing',
  'dashboard',
  'discovery',
];

const files = (await readdir(RESULTS_DIR)).filter((file) => file.endsWith('.json'));
const results = await Promise.all(
  files.map(
    async (file) => JSON.parse(await readFile(join(RESULTS_DIR, file), 'utf8')) as BenchResult,
  ),
);
const rank = (name: string): number => {
  const index = ORDER.indexOf(name);
  return index === -1 ? ORDER.length : index;
};
results.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));

const cpu = cpus();
const machine = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'},`,
  `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, every service on the same machine.`,
].join(' ');
const body = [START, '', machine, '', ...results.map(renderResult), END].join('\n');

const doc = await readFile(DOC, 'utf8');
const from = doc.indexOf(START);
const to = doc.indexOf(END);
if (from === -1 || to === -1) {
  throw new Error(`${DOC} lacks the ${START} … ${END} markers: put them back where the figures go`);
}
await writeFile(DOC, doc.slice(0, from) + body + doc.slice(to + END.length));
process.stdout.write(`wrote ${results.length} results into docs/benchmarks.md\n`);
