// What every benchmark writes: its figures, each against the target issue #8 sets, as JSON under
// .cache/bench/, from which report.ts renders the table in docs/benchmarks.md.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Figure {
  /** What was measured, e.g. "sustained rate with zero loss". */
  readonly label: string;
  readonly value: number;
  /** Unit of value, e.g. "traps/s", "ms", "MiB". */
  readonly unit: string;
  /** The target in words, e.g. "≥ 50,000 traps/s"; absent for context figures (peers, ratios). */
  readonly target?: string;
  /** Whether value meets target; absent when there is no target. */
  readonly met?: boolean;
}

export interface BenchResult {
  /** File name of the benchmark without extension, e.g. "trap-ingest". */
  readonly name: string;
  /** Heading in the report, e.g. "Trap ingest". */
  readonly title: string;
  readonly figures: readonly Figure[];
  /** Method and limits in sentences: what was sent, how it was counted, what the bottleneck is. */
  readonly notes: readonly string[];
}

export const RESULTS_DIR = join(process.cwd(), '.cache', 'bench');

/** True when BENCH_SCALE=small: every benchmark then runs a tiny version of itself (a smoke run). */
export const smallScale = process.env.BENCH_SCALE === 'small';

export async function writeResult(result: BenchResult): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(join(RESULTS_DIR, `${result.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${renderResult(result)}\n`);
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function renderResult(result: BenchResult): string {
  const rows = result.figures.map((figure) => {
    const verdict = figure.met === undefined ? '' : figure.met ? 'met' : '**not met**';
    return `| ${figure.label} | ${numberFormat.format(figure.value)} ${figure.unit} | ${figure.target ?? ''} | ${verdict} |`;
  });
  return [
    `### ${result.title}`,
    '',
    '| measured | value | target | |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...result.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}
