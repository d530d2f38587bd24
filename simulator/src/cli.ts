import { parseArgs } from 'node:util';
import {
  createLogger,
  formatProblems,
  loadConfigFile,
  readSettings,
  runUntilSignal,
  type Config,
  type Settings,
} from '@faultline/shared';
import { createTrapSender } from './adapters/trap-sender.js';
import { trapCommunity } from './core/trap-community.js';
import { createSimulator } from './simulator.js';

const USAGE = `usage: node simulator/dist/cli.js <command> [options]

commands:
  run                          run the simulated network until Ctrl-C
  link <device> <ifName> up|down
                               send linkUp/linkDown from the device's address
  reboot <device>              send coldStart from the device's address

options:
  --config <path>      network config (default: $FAULTLINE_CONFIG or config/example.yaml)
  --trap-host <host>   where traps go (default: $FAULTLINE_TRAP_HOST or 127.0.0.1)
  --trap-port <port>   trap UDP port (default: $FAULTLINE_TRAP_PORT or 1162)
  --faults <seconds>   run: mean seconds between random access-port flaps (default: none)
  --log-level <level>  pino level (default: $LOG_LEVEL or info)
`;

/** A mistake in the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

interface Options {
  readonly command: string;
  readonly args: readonly string[];
  readonly configPath: string;
  readonly trapHost: string;
  readonly trapPort: number;
  readonly faultsMeanS: number | undefined;
  readonly logLevel: string;
}

function defaults(settings: Settings): Omit<Options, 'command' | 'args'> {
  return {
    configPath: settings.configPath,
    trapHost: settings.trapHost,
    trapPort: settings.trapPort,
    faultsMeanS: undefined,
    logLevel: settings.logLevel,
  };
}

function parseOptions(argv: readonly string[]): Options {
  const settings = readSettings(process.env);
  if (!settings.ok)
    throw new UsageError(`invalid environment:\n${formatProblems(settings.problems)}`);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        'trap-host': { type: 'string' },
        'trap-port': { type: 'string' },
        faults: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help === true) return { ...defaults(settings.value), command: 'help', args: [] };
  if (command === undefined) throw new UsageError('missing command');
  const number = (
    name: string,
    text: string | undefined,
    min: number,
    max: number,
  ): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new UsageError(
        `--${name} must be a number from ${String(min)} to ${String(max)}, got "${text}"`,
      );
    }
    return value;
  };
  const trapPort = number('trap-port', values['trap-port'], 1, 65535) ?? settings.value.trapPort;
  if (!Number.isInteger(trapPort)) throw new UsageError('--trap-port must be an integer');
  return {
    command,
    args,
    configPath: values.config ?? settings.value.configPath,
    trapHost: values['trap-host'] ?? settings.value.trapHost,
    trapPort,
    faultsMeanS: number('faults', values.faults, 1, 86_400),
    logLevel: values['log-level'] ?? settings.value.logLevel,
  };
}

async function loadConfig(path: string): Promise<Config> {
  const loaded = await loadConfigFile(path);
  if (!loaded.ok)
    throw new UsageError(`invalid config ${path}:\n${formatProblems(loaded.problems)}`);
  return loaded.value;
}

function findDevice(config: Config, name: string | undefined): Config['devices'][number] {
  if (name === undefined) throw new UsageError('missing device name');
  const device = config.devices.find((d) => d.name === name);
  if (device === undefined) {
    throw new UsageError(
      `unknown device "${name}"; devices: ${config.devices.map((d) => d.name).join(', ')}`,
    );
  }
  return device;
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parseOptions(argv);
  if (options.command === 'help') {
    console.log(USAGE);
    return;
  }
  const config = await loadConfig(options.configPath);
  const logger = createLogger({ level: options.logLevel, name: 'faultline-simulator' });
  const trapTarget = { host: options.trapHost, port: options.trapPort };

  if (options.command === 'run') {
    if (options.args.length > 0)
      throw new UsageError(`run takes no arguments, got "${options.args.join(' ')}"`);
    const simulator = createSimulator({
      config,
      trapTarget,
      logger,
      ...(options.faultsMeanS === undefined
        ? {}
        : { faults: { meanIntervalMs: options.faultsMeanS * 1000 } }),
    });
    await runUntilSignal([simulator], logger);
    return;
  }

  // link and reboot run without a running simulator: they only send the notification from the
  // device's address, which is what a collector sees of such an event.
  const sender = createTrapSender({ target: trapTarget, logger });
  try {
    if (options.command === 'link') {
      const [deviceName, ifName, state, ...rest] = options.args;
      const device = findDevice(config, deviceName);
      if (ifName === undefined) throw new UsageError('missing interface name');
      const iface = device.interfaces.find((i) => i.name === ifName);
      if (iface === undefined) {
        throw new UsageError(
          `device "${device.name}" has no interface "${ifName}"; interfaces: ${device.interfaces.map((i) => i.name).join(', ')}`,
        );
      }
      if ((state !== 'up' && state !== 'down') || rest.length > 0) {
        throw new UsageError('link needs <device> <ifName> up|down');
      }
      await sender.send(
        {
          address: device.address,
          community: trapCommunity(config, device),
          upTimeTicks: undefined,
        },
        {
          kind: state === 'up' ? 'linkUp' : 'linkDown',
          ifIndex: iface.ifIndex,
          adminStatus: 1,
          operStatus: state === 'up' ? 1 : 2,
        },
      );
      console.log(
        `sent ${state === 'up' ? 'linkUp' : 'linkDown'} from ${device.name} (${device.address}) ifIndex ${String(iface.ifIndex)}`,
      );
    } else if (options.command === 'reboot') {
      const [deviceName, ...rest] = options.args;
      const device = findDevice(config, deviceName);
      if (rest.length > 0) throw new UsageError('reboot needs exactly one <device>');
      await sender.send(
        { address: device.address, community: trapCommunity(config, device), upTimeTicks: 1 },
        { kind: 'coldStart' },
      );
      console.log(`sent coldStart from ${device.name} (${device.address})`);
    } else {
      throw new UsageError(`unknown command "${options.command}"`);
    }
  } finally {
    sender.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}\n`);
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  console.error(error);
  process.exitCode = 1;
});
