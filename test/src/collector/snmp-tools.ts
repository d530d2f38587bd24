import { spawn, execFile, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeUdpPort } from '../support/ports.js';

const run = promisify(execFile);

/**
 * Net-SNMP's tools read MIB files and write a persistent directory by default: numeric OIDs
 * with no MIBs (`-m '' -M /dev/null`) and a private directory keep them quiet and isolated.
 */
const NO_MIBS = ['-m', '', '-M', '/dev/null'];
let persistentDir: Promise<string> | undefined;
async function snmpEnv(): Promise<NodeJS.ProcessEnv> {
  persistentDir ??= mkdtemp(join(tmpdir(), 'faultline-snmp-'));
  return { ...process.env, SNMP_PERSISTENT_DIR: await persistentDir };
}

/** Net-SNMP tool arguments for an SNMPv3 authPriv user with SHA and AES keys. */
export function authPrivArgs(user: string, authKey: string, privKey: string): string[] {
  return [
    '-v',
    '3',
    '-u',
    user,
    '-l',
    'authPriv',
    '-a',
    'SHA',
    '-A',
    authKey,
    '-x',
    'AES',
    '-X',
    privKey,
  ];
}

/** Runs `snmptrap` with numeric OIDs; rejects when it exits non-zero. */
export async function snmptrap(args: readonly string[]): Promise<void> {
  await run('snmptrap', [...NO_MIBS, ...args], { env: await snmpEnv(), timeout: 10_000 });
}

/** Runs `snmpinform`, which exits 0 only once the receiver acknowledged the inform. */
export async function snmpinform(args: readonly string[]): Promise<void> {
  await run('snmpinform', [...NO_MIBS, '-r', '1', '-t', '2', ...args], {
    env: await snmpEnv(),
    timeout: 15_000,
  });
}

/** Sends raw bytes to a UDP port from 127.0.0.1. */
export async function sendUdp(port: number, payloads: readonly Buffer[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  for (const payload of payloads) {
    await new Promise<void>((resolve, reject) => {
      socket.send(payload, port, '127.0.0.1', (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }
  socket.close();
}

/** A running snmpd agent on 127.0.0.1. */
export interface Snmpd {
  readonly port: number;
  /** The agent's private folder: pass scripts and their state live here. */
  readonly dir: string;
  stop(): Promise<void>;
}

/**
 * Starts a real snmpd in the foreground on a free loopback port with the given snmpd.conf lines
 * (`-C`: no system config), resolving once it announces itself. `exclude` names MIB modules to
 * leave out (`-I -name`), e.g. `system_mib` so that a pass script can serve sysUpTime.
 */
export async function startSnmpd(options: {
  conf: (dir: string) => string[];
  files?: (dir: string) => Record<string, { text: string; mode?: number }>;
  exclude?: string[];
  /** The UDP port (default: a free one); to restart an agent where it was. */
  port?: number;
}): Promise<Snmpd> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-snmpd-'));
  for (const [name, file] of Object.entries(options.files?.(dir) ?? {})) {
    await writeFile(join(dir, name), file.text, { mode: file.mode ?? 0o644 });
  }
  const confPath = join(dir, 'snmpd.conf');
  await writeFile(confPath, `${options.conf(dir).join('\n')}\n`);
  const port = options.port ?? (await freeUdpPort());
  // One leading "-" excludes every module of the list.
  const exclude = `-${['smux', ...(options.exclude ?? [])].join(',')}`;
  const child: ChildProcess = spawn(
    'snmpd',
    ['-f', '-Lo', '-C', '-c', confPath, ...NO_MIBS, '-I', exclude, `udp:127.0.0.1:${String(port)}`],
    { env: { ...process.env, SNMP_PERSISTENT_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`snmpd did not start:\n${output}`));
    }, 10_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('NET-SNMP version')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`snmpd exited with ${String(code)}:\n${output}`));
    });
  });
  return {
    port,
    dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An agent whose sysUpTime and ifOperStatus.1 come from a file the test rewrites. */
export async function scriptedAgent(port?: number): Promise<{
  agent: Snmpd;
  oper(status: number): Promise<void>;
  uptime(ticks: number): Promise<void>;
}> {
  // Booted a day ago unless a test says otherwise: a first poll sees no recent restart.
  let state = { uptimeTicks: 8_640_000, oper: 1 };
  const text = () =>
    `.1.3.6.1.2.1.1.3.0 timeticks ${String(state.uptimeTicks)}\n.1.3.6.1.2.1.2.2.1.8.1 integer ${String(state.oper)}\n`;
  const agent = await startSnmpd({
    exclude: ['system_mib'],
    ...(port === undefined ? {} : { port }),
    files: (dir) => ({
      'pass.sh': {
        mode: 0o755,
        text: `#!/bin/sh\n[ "$1" = "-g" ] || exit 0\nline=$(grep -m1 "^$2 " ${join(dir, 'state')}) || exit 0\nset -- $line\nprintf '%s\\n%s\\n%s\\n' "$1" "$2" "$3"\n`,
      },
      state: { text: text() },
    }),
    conf: (dir) => [
      'rocommunity public 127.0.0.1',
      `pass .1.3.6.1.2.1.1.3 ${join(dir, 'pass.sh')}`,
      `pass .1.3.6.1.2.1.2.2.1 ${join(dir, 'pass.sh')}`,
      `pass .1.3.6.1.2.1.31.1.1.1 ${join(dir, 'pass.sh')}`,
    ],
  });
  const write = (next: typeof state) => {
    state = next;
    return writeFile(join(agent.dir, 'state'), text());
  };
  return {
    agent,
    oper: (status) => write({ ...state, oper: status }),
    uptime: (ticks) => write({ ...state, uptimeTicks: ticks }),
  };
}
