// The polling benchmark's peer: Net-SNMP's `snmpbulkwalk`, one process per column walk, as
// pollers built on the Net-SNMP tools (LibreNMS among them) read interface tables.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { exitedChildrenCpuSeconds } from './bench-support.js';

const execFileAsync = promisify(execFile);

/** What the peer reads of each device, and for how long. */
export interface WalkPeerOptions {
  /** Each device's agent as `address:port`. */
  readonly agents: readonly string[];
  readonly community: string;
  /** The columns walked per device, one after the other (the collector's four). */
  readonly columns: readonly string[];
  /** Rows each column must return for the device's poll to count. */
  readonly interfacesPerDevice: number;
  /** Devices walked at once (the collector's poller runs 16 device polls at once). */
  readonly concurrency: number;
  /** GetBulk max-repetitions (`-Cr`), the collector's 40. */
  readonly repetitions: number;
  readonly windowMs: number;
}

export interface WalkPeerResult {
  /** Device polls that returned every row of every column within the window. */
  readonly polls: number;
  /** Device polls that failed or came back short. */
  readonly failed: number;
  readonly elapsedS: number;
  /** CPU of the snmpbulkwalk processes, seconds, including the polls that ended after the window. */
  readonly cpuS: number;
  /** Complete device polls the CPU was spent on: those of the window and the ones ending after. */
  readonly polledForCpu: number;
}

/**
 * Walks the devices round-robin, `concurrency` at a time, as fast as the tool goes, until the
 * window ends: its ceiling, as the collector's figure is its own. Only reading is counted; no
 * rates are computed and nothing is stored (the peer's best case).
 */
export async function walkWithSnmpbulkwalk(options: WalkPeerOptions): Promise<WalkPeerResult> {
  let next = 0;
  let polls = 0;
  let late = 0;
  let failed = 0;
  const cpuBefore = await exitedChildrenCpuSeconds();
  const deadline = performance.now() + options.windowMs;

  const walk = async (agent: string, column: string): Promise<number> => {
    // No MIBs to load or translate (numeric OIDs, values only): the tool's cheapest output.
    const { stdout } = await execFileAsync('snmpbulkwalk', [
      '-v2c',
      '-c',
      options.community,
      '-m',
      '',
      '-M',
      '/dev/null',
      '-On',
      '-Oq',
      `-Cr${String(options.repetitions)}`,
      '-t',
      '2',
      '-r',
      '1',
      agent,
      column,
    ]);
    return stdout.split('\n').filter((line) => line.startsWith(`.${column}.`)).length;
  };

  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const agent = options.agents[next++ % options.agents.length];
      if (agent === undefined) return;
      let complete = true;
      try {
        for (const column of options.columns) {
          if ((await walk(agent, column)) !== options.interfacesPerDevice) complete = false;
        }
      } catch {
        complete = false;
      }
      if (performance.now() > deadline) {
        if (complete) late++;
        return;
      }
      if (complete) polls++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return {
    polls,
    failed,
    elapsedS: options.windowMs / 1000,
    cpuS: (await exitedChildrenCpuSeconds()) - cpuBefore,
    polledForCpu: polls + late,
  };
}
