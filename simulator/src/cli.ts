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
import { sendControlCommand } from './adapters/control-client.js';
import { backfillUsage } from './adapters/influx-backfill.js';
import { backfillIncidents } from './adapters/pg-incidents.js';
import {
  isScenarioPath,
  listScenarioFiles,
  loadScenarioFile,
  readScenarioByName,
  readScenarioPath,
  scenarioFolders,
} from './adapters/scenario-files.js';
import { createTrapSender } from './adapters/trap-sender.js';
import { sendTrapStorm } from './adapters/trap-storm.js';
import { formatDurationMs } from './core/duration.js';
import { parseScenario, STORM_MAX_COUNT, STORM_MAX_RATE, STORM_TRAPS } from './core/scenario.js';
import { stormPacket } from './core/storm-traps.js';
import { trapCommunity } from './core/trap-community.js';
import { createSimulator } from './simulator.js';

const USAGE = `usage: node simulator/dist/cli.js <command> [options]

commands:
  run                          run the simulated network until Ctrl-C (SNMP agents, traps,
                               MQTT telemetry, and scenarios on the control topic)
  scenario <name>|<file>       run a scenario in the simulator already running (npm start or
                               "run"), over MQTT; fails if none answers within --timeout. A
                               name is looked up in the config's simulator.scenariosDir, then
                               in scenarios/; a path (with a / or ending in .yaml) is read
                               from anywhere. Checked against --config's network first
  scenarios                    list the scenarios (config's folder and scenarios/)
  link <device> <ifName> up|down
                               send linkUp/linkDown from the device's address
  reboot <device>              send coldStart from the device's address
  storm <device>               send a bounded trap storm from the device's address
  backfill                     write a month of 5-minute usage points to InfluxDB and a few
                               past incidents (alarms, tickets, outages) to PostgreSQL

options:
  --config <path>      network config (default: $FAULTLINE_CONFIG or config/example.yaml)
  --trap-host <host>   where traps go (default: $FAULTLINE_TRAP_HOST or 127.0.0.1)
  --trap-port <port>   trap UDP port (default: $FAULTLINE_TRAP_PORT or 1162)
  --faults <seconds>   run: mean seconds between random access-port flaps (default: none)
  --telemetry <secs>   run: seconds between telemetry publications (default: 10)
  --offline            run: no MQTT (no telemetry, no control topic)
  --speedup <factor>   scenario: run it this many times faster (default: 1)
  --timeout <secs>     scenario: how long to wait for the simulator's answer (default: 5)
  --rate <per second>  storm: traps per second (default: 10000)
  --count <n>          storm: traps in all (default: 50000)
  --trap <kind>        storm: ${STORM_TRAPS.join(', ')} (default: authenticationFailure)
  --interface <name>   storm: the port of a linkDown/linkUp storm
  --days <n>           backfill: days of history (default: 31)
  --log-level <level>  pino level (default: $LOG_LEVEL or info)

environment: MQTT_URL, INFLUX_URL, FAULTLINE_PREFIX (control topic <prefix>/simulator/control,
             telemetry on <prefix>/telemetry/<device>/<metric>)
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
  readonly telemetryS: number;
  readonly offline: boolean;
  readonly speedup: number;
  readonly timeoutS: number;
  readonly rate: number;
  readonly count: number;
  readonly trap: (typeof STORM_TRAPS)[number];
  readonly interface: string | undefined;
  readonly days: number;
  readonly logLevel: string;
  readonly settings: Settings;
}

function defaults(settings: Settings): Omit<Options, 'command' | 'args'> {
  return {
    configPath: settings.configPath,
    trapHost: settings.trapHost,
    trapPort: settings.trapPort,
    faultsMeanS: undefined,
    telemetryS: 10,
    offline: false,
    speedup: 1,
    timeoutS: 5,
    rate: 10_000,
    count: 50_000,
    trap: 'authenticationFailure',
    interface: undefined,
    days: 31,
    logLevel: settings.logLevel,
    settings,
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
        telemetry: { type: 'string' },
        offline: { type: 'boolean' },
        speedup: { type: 'string' },
        timeout: { type: 'string' },
        rate: { type: 'string' },
        count: { type: 'string' },
        trap: { type: 'string' },
        interface: { type: 'string' },
        days: { type: 'string' },
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
  const base = defaults(settings.value);
  const trap = values.trap ?? base.trap;
  if (!(STORM_TRAPS as readonly string[]).includes(trap)) {
    throw new UsageError(`--trap must be one of ${STORM_TRAPS.join(', ')}`);
  }
  return {
    ...base,
    command,
    args,
    configPath: values.config ?? settings.value.configPath,
    trapHost: values['trap-host'] ?? settings.value.trapHost,
    trapPort,
    faultsMeanS: number('faults', values.faults, 1, 86_400),
    telemetryS: number('telemetry', values.telemetry, 0.1, 3_600) ?? base.telemetryS,
    offline: values.offline === true,
    speedup: number('speedup', values.speedup, 0.001, 10_000) ?? base.speedup,
    timeoutS: number('timeout', values.timeout, 0.1, 600) ?? base.timeoutS,
    rate: Math.round(number('rate', values.rate, 1, STORM_MAX_RATE) ?? base.rate),
    count: Math.round(number('count', values.count, 1, STORM_MAX_COUNT) ?? base.count),
    trap: trap as Options['trap'],
    interface: values.interface,
    days: number('days', values.days, 1, 400) ?? base.days,
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
  const { settings } = options;
  const config = await loadConfig(options.configPath);
  if (options.command === 'scenario') {
    const [target, ...rest] = options.args;
    if (target === undefined || rest.length > 0) {
      throw new UsageError('scenario needs one <name> or <file>');
    }
    // Read and checked here, against --config's network, so a mistake is reported before the
    // running simulator is asked; it checks again against its own network.
    const source = isScenarioPath(target)
      ? await readScenarioPath(target)
      : await readScenarioByName(scenarioFolders(config), target);
    if (!source.ok) throw new Error(source.problems.map((p) => p.message).join('\n'));
    const checked = parseScenario(source.value.name, source.value.text, config);
    if (!checked.ok) {
      throw new Error(
        `scenario "${source.value.name}" is invalid for ${options.configPath}:\n${formatProblems(checked.problems)}`,
      );
    }
    const reply = await sendControlCommand(
      { mqttUrl: settings.mqttUrl, prefix: settings.prefix, timeoutMs: options.timeoutS * 1000 },
      {
        scenario: checked.value.name,
        definition: source.value.text,
        ...(options.speedup === 1 ? {} : { speedup: options.speedup }),
      },
    );
    if (!reply.ok) throw new Error(reply.error);
    if ('scenario' in reply) {
      console.log(
        `started ${reply.scenario}: ${String(reply.steps)} steps over ${formatDurationMs(reply.lengthMs)}`,
      );
    }
    return;
  }
  const logger = createLogger({ level: options.logLevel, name: 'faultline-simulator' });
  const trapTarget = { host: options.trapHost, port: options.trapPort };

  switch (options.command) {
    case 'run': {
      if (options.args.length > 0)
        throw new UsageError(`run takes no arguments, got "${options.args.join(' ')}"`);
      const simulator = createSimulator({
        config,
        trapTarget,
        logger,
        ...(options.faultsMeanS === undefined
          ? {}
          : { faults: { meanIntervalMs: options.faultsMeanS * 1000 } }),
        ...(options.offline
          ? {}
          : {
              mqtt: {
                url: settings.mqttUrl,
                intervalMs: options.telemetryS * 1000,
                prefix: settings.prefix,
              },
            }),
      });
      await runUntilSignal([simulator], logger);
      return;
    }
    case 'scenarios': {
      const folders = scenarioFolders(config);
      for (const name of await listScenarioFiles(folders)) {
        const loaded = await loadScenarioFile(folders, name, config);
        console.log(
          loaded.ok
            ? `${name.padEnd(20)} ${loaded.value.description}`
            : `${name.padEnd(20)} INVALID:\n${formatProblems(loaded.problems)}`,
        );
      }
      return;
    }
    case 'storm': {
      const [deviceName, ...rest] = options.args;
      const device = findDevice(config, deviceName);
      if (rest.length > 0) throw new UsageError('storm needs exactly one <device>');
      const ifIndex = device.interfaces.find((i) => i.name === options.interface)?.ifIndex;
      if (options.trap !== 'authenticationFailure' && ifIndex === undefined) {
        throw new UsageError(`a ${options.trap} storm needs --interface, a port of ${device.name}`);
      }
      const result = await sendTrapStorm({
        ratePerS: options.rate,
        count: options.count,
        sourceAddress: device.address,
        target: trapTarget,
        packet: stormPacket({
          community: trapCommunity(config, device),
          upTimeTicks: 1,
          trap: options.trap,
          ifIndex,
        }),
      });
      const rate = Math.round((result.sent * 1000) / Math.max(1, result.elapsedMs));
      console.log(
        `sent ${String(result.sent)} ${options.trap} traps from ${device.name} in ${String(result.elapsedMs)} ms (${String(rate)}/s, ${String(result.failed)} failed, ${result.ended})`,
      );
      return;
    }
    case 'backfill': {
      if (options.args.length > 0) throw new UsageError('backfill takes no arguments');
      const result = await backfillUsage({
        config,
        influxUrl: settings.influxUrl,
        database: config.influx.database,
        endMs: Date.now(),
        days: options.days,
        createDatabase: config.influx.api === 'v1',
        ...(settings.influxToken === undefined ? {} : { token: settings.influxToken }),
      });
      console.log(
        `wrote ${String(result.points)} points for ${String(result.series)} customer interfaces in ${String(result.requests)} requests`,
      );
      const incidents = await backfillIncidents({
        config,
        databaseUrl: settings.databaseUrl,
        endMs: Date.now(),
        days: options.days,
      });
      console.log(
        `wrote ${String(incidents.incidents)} past incidents with ${String(incidents.outages)} customer outages`,
      );
      return;
    }
    default:
      break;
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
  // Expected failures (no broker, no simulator, InfluxDB refusing) read as one line and a cause;
  // set LOG_LEVEL=debug for the stack.
  if (error instanceof Error && process.env.LOG_LEVEL !== 'debug') {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    console.error(`error: ${error.message}${cause}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
