import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { parseDocument } from 'yaml';
import { createValidator, type Checked, type Config, type Problem } from '@faultline/shared';
import { DURATION_PATTERN, parseDurationMs } from './duration.js';

const Duration = Type.Union([
  Type.String({ pattern: DURATION_PATTERN }),
  Type.Number({ minimum: 0 }),
]);
const Name = Type.String({ minLength: 1, maxLength: 200 });
/** Every step has a time from the start of the scenario and an optional note for the log. */
const common = { at: Duration, note: Type.Optional(Type.String({ maxLength: 500 })) };
const onPort = { device: Name, interface: Name };
const strict = { additionalProperties: false } as const;

/** Traps a storm can repeat. */
export const STORM_TRAPS = ['authenticationFailure', 'linkDown', 'linkUp'] as const;
/** Most traps a storm may send per second, and in all: a storm is bounded by construction. */
export const STORM_MAX_RATE = 200_000;
export const STORM_MAX_COUNT = 2_000_000;

/** The schema of each action's step, by action name. */
const STEP_SCHEMAS = {
  linkDown: Type.Object({ ...common, action: Type.Literal('linkDown'), ...onPort }, strict),
  linkUp: Type.Object({ ...common, action: Type.Literal('linkUp'), ...onPort }, strict),
  reboot: Type.Object(
    {
      ...common,
      action: Type.Literal('reboot'),
      device: Name,
      /** How long the device is silent (no answers, no telemetry) before it comes back. */
      downFor: Type.Optional(Duration),
    },
    strict,
  ),
  trapStorm: Type.Object(
    {
      ...common,
      action: Type.Literal('trapStorm'),
      device: Name,
      rate: Type.Integer({ minimum: 1, maximum: STORM_MAX_RATE }),
      count: Type.Integer({ minimum: 1, maximum: STORM_MAX_COUNT }),
      trap: Type.Optional(Type.Union(STORM_TRAPS.map((t) => Type.Literal(t)))),
      interface: Type.Optional(Name),
    },
    strict,
  ),
  optics: Type.Object(
    {
      ...common,
      action: Type.Literal('optics'),
      ...onPort,
      dbm: Type.Union([Type.Number({ minimum: -40, maximum: 10 }), Type.Literal('normal')]),
    },
    strict,
  ),
  utilization: Type.Object(
    {
      ...common,
      action: Type.Literal('utilization'),
      ...onPort,
      percent: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Literal('normal')]),
    },
    strict,
  ),
  maintenance: Type.Object(
    { ...common, action: Type.Literal('maintenance'), label: Type.String({ maxLength: 200 }) },
    strict,
  ),
  /** Moves the far end of the cable at `device:interface` onto `to` (a patch-panel change). */
  repatch: Type.Object(
    { ...common, action: Type.Literal('repatch'), ...onPort, to: Type.Object(onPort, strict) },
    strict,
  ),
} satisfies Record<string, TSchema>;

/** The name of a scenario action. */
export type ScenarioActionName = keyof typeof STEP_SCHEMAS;
export const SCENARIO_ACTIONS = Object.keys(STEP_SCHEMAS) as ScenarioActionName[];

type RawStep = { [K in ScenarioActionName]: Static<(typeof STEP_SCHEMAS)[K]> }[ScenarioActionName];

/**
 * One step of a scenario, times in ms from its start: what a scheduler needs. `downForMs` and
 * the `normal` values are resolved; `at` is gone.
 */
export type ScenarioAction =
  | { readonly action: 'linkDown' | 'linkUp'; readonly device: string; readonly interface: string }
  | { readonly action: 'reboot'; readonly device: string; readonly downForMs: number }
  | {
      readonly action: 'trapStorm';
      readonly device: string;
      readonly rate: number;
      readonly count: number;
      readonly trap: (typeof STORM_TRAPS)[number];
      readonly interface: string | undefined;
    }
  | {
      readonly action: 'optics';
      readonly device: string;
      readonly interface: string;
      /** Received optical power to report, or undefined for the device's normal level. */
      readonly dbm: number | undefined;
    }
  | {
      readonly action: 'utilization';
      readonly device: string;
      readonly interface: string;
      /** Forced utilisation, or undefined to hand the interface back to the traffic model. */
      readonly percent: number | undefined;
    }
  | { readonly action: 'maintenance'; readonly label: string }
  | {
      readonly action: 'repatch';
      readonly device: string;
      readonly interface: string;
      readonly to: { readonly device: string; readonly interface: string };
    };

/** A step: an action at an offset from the scenario's start. */
export interface ScenarioStep {
  readonly atMs: number;
  readonly note: string | undefined;
  readonly action: ScenarioAction;
}

/** A validated scenario. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly steps: readonly ScenarioStep[];
}

const FileSchema = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 1000 }),
    steps: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10_000 }),
  },
  strict,
);
const ActionSchema = Type.Object({
  action: Type.Union(SCENARIO_ACTIONS.map((a) => Type.Literal(a))),
});
const fileValidator = createValidator(FileSchema);
const actionValidator = createValidator(ActionSchema);
const stepValidators = Object.fromEntries(
  SCENARIO_ACTIONS.map((name) => [name, createValidator(STEP_SCHEMAS[name])]),
) as { [K in ScenarioActionName]: ReturnType<typeof createValidator<(typeof STEP_SCHEMAS)[K]>> };

/** Scenario names are file names: what the CLI and the control topic accept. */
export const SCENARIO_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/;

function prefixed(prefix: string, problems: readonly Problem[]): Problem[] {
  return problems.map((p) => ({
    path: p.path === '(root)' ? prefix : `${prefix}.${p.path}`,
    message: p.message,
  }));
}

function toAction(step: RawStep): ScenarioAction {
  switch (step.action) {
    case 'linkDown':
    case 'linkUp':
      return { action: step.action, device: step.device, interface: step.interface };
    case 'reboot':
      return {
        action: 'reboot',
        device: step.device,
        downForMs: step.downFor === undefined ? 0 : (parseDurationMs(step.downFor) ?? 0),
      };
    case 'trapStorm':
      return {
        action: 'trapStorm',
        device: step.device,
        rate: step.rate,
        count: step.count,
        trap: step.trap ?? 'authenticationFailure',
        interface: step.interface,
      };
    case 'optics':
      return {
        action: 'optics',
        device: step.device,
        interface: step.interface,
        dbm: step.dbm === 'normal' ? undefined : step.dbm,
      };
    case 'utilization':
      return {
        action: 'utilization',
        device: step.device,
        interface: step.interface,
        percent: step.percent === 'normal' ? undefined : step.percent,
      };
    case 'maintenance':
      return { action: 'maintenance', label: step.label };
    case 'repatch':
      return {
        action: 'repatch',
        device: step.device,
        interface: step.interface,
        to: { device: step.to.device, interface: step.to.interface },
      };
  }
}

/** Checks one step against its action's schema; problems carry `steps.N.` paths. */
function checkStep(raw: unknown, index: number): Checked<ScenarioStep> {
  const path = `steps.${String(index)}`;
  const kind = actionValidator.check(raw);
  if (!kind.ok) {
    return {
      ok: false,
      problems: [
        { path: `${path}.action`, message: `must be one of ${SCENARIO_ACTIONS.join(', ')}` },
      ],
    };
  }
  const checked = stepValidators[kind.value.action].check(raw);
  if (!checked.ok) return { ok: false, problems: prefixed(path, checked.problems) };
  const step: RawStep = checked.value;
  return {
    ok: true,
    value: { atMs: parseDurationMs(step.at) ?? 0, note: step.note, action: toAction(step) },
  };
}

/**
 * Parses and validates a scenario from YAML text: syntax, schema (unknown keys are errors) and,
 * when a config is given, that every device and interface exists in it. Every problem is
 * returned at once, with its path (`steps.2.device`).
 */
export function parseScenario(
  name: string,
  text: string,
  config?: Pick<Config, 'devices'>,
): Checked<Scenario> {
  if (!SCENARIO_NAME_PATTERN.test(name)) {
    return {
      ok: false,
      problems: [{ path: '(name)', message: 'must be lower-case letters, digits and dashes' }],
    };
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        path: error.linePos ? `line ${String(error.linePos[0].line)}` : '(file)',
        message: error.message.split('\n')[0] ?? error.message,
      })),
    };
  }
  const file = fileValidator.check(document.toJS() ?? {});
  if (!file.ok) return file;
  const problems: Problem[] = [];
  const steps: ScenarioStep[] = [];
  file.value.steps.forEach((raw, index) => {
    const step = checkStep(raw, index);
    if (step.ok) steps.push(step.value);
    else problems.push(...step.problems);
  });
  if (config !== undefined) {
    steps.forEach((step, index) => problems.push(...checkReferences(step.action, index, config)));
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { name, description: file.value.description, steps } };
}

/** Problems with a device (and interface) a step names, at `path`: they must exist. */
function portProblems(
  config: Pick<Config, 'devices'>,
  path: string,
  deviceName: string,
  ifName: string | undefined,
): Problem[] {
  const device = config.devices.find((d) => d.name === deviceName);
  if (device === undefined) {
    return [{ path: `${path}.device`, message: `unknown device "${deviceName}"` }];
  }
  if (ifName !== undefined && !device.interfaces.some((i) => i.name === ifName)) {
    return [
      {
        path: `${path}.interface`,
        message: `device "${device.name}" has no interface "${ifName}"`,
      },
    ];
  }
  return [];
}

/** Devices and interfaces a step names must exist in the network it runs on. */
export function checkReferences(
  action: ScenarioAction,
  index: number,
  config: Pick<Config, 'devices'>,
): Problem[] {
  if (action.action === 'maintenance') return [];
  const path = `steps.${String(index)}`;
  const ifName = 'interface' in action ? action.interface : undefined;
  const problems = portProblems(config, path, action.device, ifName);
  if (action.action === 'repatch') {
    problems.push(...portProblems(config, `${path}.to`, action.to.device, action.to.interface));
  }
  if (problems.length > 0) return problems;
  if (
    action.action === 'trapStorm' &&
    action.trap !== 'authenticationFailure' &&
    ifName === undefined
  ) {
    return [{ path: `${path}.interface`, message: `a ${action.trap} storm needs an interface` }];
  }
  return [];
}
