// Helpers shared by the component benchmarks: waiting on a condition, running a Faultline
// service as its own process, and removing a run's Redis keys.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

/** The repository root (benchmarks run from there, as scripts/bench.sh does). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Polls `check` every `intervalMs` until it returns true; throws after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  { timeoutMs = 120_000, intervalMs = 20 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A Faultline program (a service's `dist/main.js`, the simulator's CLI) in its own process. */
export interface NodeProcess {
  readonly child: ChildProcess;
  /** CPU time (user + system) the process has used so far, seconds. */
  cpuSeconds(): Promise<number>;
  /** Sends SIGTERM (the program stops its components and exits) and waits for the exit. */
  stop(): Promise<void>;
}

/** Linux clock ticks per second, the unit of the CPU times in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_S = 100;

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces). */
async function statFields(pid: number | 'self'): Promise<string[]> {
  const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU time (user + system) a process has used, seconds, from /proc/<pid>/stat. */
export async function processCpuSeconds(pid: number): Promise<number> {
  // utime and stime are fields 14 and 15 of the whole line, so 12 and 13 after the name.
  const fields = await statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** CPU time (user + system) of this process's children that have exited, seconds. */
export async function exitedChildrenCpuSeconds(): Promise<number> {
  // cutime and cstime are fields 16 and 17 of the whole line.
  const fields = await statFields('self');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_S;
}

/**
 * Children still running. A benchmark stopped by a signal (Ctrl-C, a timeout) would otherwise leave
 * them running against the shared services: they are sent SIGTERM before it exits.
 */
const running = new Set<ChildProcess>();
const stopChildrenOnSignal = (signal: NodeJS.Signals): void => {
  for (const child of running) child.kill('SIGTERM');
  process.kill(process.pid, signal);
};

/**
 * Starts `node <script> <args>` from the repository root with the given environment on top of
 * this one; its output goes to this process's so a failure is visible. With
 * `BENCH_CPU_PROF=<dir>` it writes a V8 CPU profile there when it exits (node refuses
 * `--cpu-prof` in NODE_OPTIONS).
 */
export function startNodeProcess(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): NodeProcess {
  const profileDir = process.env.BENCH_CPU_PROF;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    if (!process.listeners(signal).includes(stopChildrenOnSignal)) {
      process.once(signal, stopChildrenOnSignal);
    }
  }
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  return {
    child,
    cpuSeconds: () => processCpuSeconds(child.pid ?? 0),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Deletes every Redis key under `prefix:` (a run's queues, hot state and dedup keys). */
export async function deleteRedisPrefix(redis: Redis, prefix: string): Promise<void> {
  const stream = redis.scanStream({ match: `${prefix}:*`, count: 1000 });
  for await (const keys of stream as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
}

/** Deterministic draws in [0, 1) (mulberry32), so every run of a benchmark sends the same mix. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The simulator's CLI in its own process, playing the network of a config file (JSON is YAML)
 * without MQTT, its traps sent to 127.0.0.1:`trapPort`.
 */
export function startSimulatorProcess(configPath: string, trapPort: number): NodeProcess {
  return startNodeProcess('simulator/dist/cli.js', [
    'run',
    '--offline',
    '--config',
    configPath,
    '--trap-port',
    String(trapPort),
    '--log-level',
    'warn',
  ]);
}
