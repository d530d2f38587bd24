import { Type, type Static } from '@sinclair/typebox';
import { createValidator, type Checked } from './validate.js';

/**
 * The control contract of the simulator: the MQTT topics and messages with which the CLI
 * (`npm run sim -- scenario <name>`) and the api's admin routes ask a running simulator to list or
 * start scenarios. It lives in shared because services never import each other.
 */

/** The control topic of a Faultline instance: commands for its running simulator. */
export function controlTopic(prefix: string): string {
  return `${prefix}/simulator/control`;
}

/** Where one requester waits for its answer (unique per request). */
export function replyTopic(prefix: string, requestId: string): string {
  return `${prefix}/simulator/reply/${requestId}`;
}

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const Topic = Type.String({ minLength: 1, maxLength: 500, pattern: '^[^#+]+$' });

/** The bounds of a scenario speed-up: every offset and duration is divided by it. */
export const SpeedupSchema = Type.Number({ minimum: 0.001, maximum: 10_000 });

/** The largest scenario file a command may carry, in characters. */
export const MAX_SCENARIO_DEFINITION_CHARS = 256 * 1024;

/**
 * A command published on the control topic. `{ "scenario": "fibre-cut" }` alone starts the
 * scenario without an answer; with `id` and `replyTo` the simulator answers on `replyTo`. With
 * `definition` (a scenario file's YAML, as `npm run sim -- scenario <file>` sends it) the
 * simulator runs that under the name instead of looking the name up in its folders.
 * `{ "list": true }` asks for the scenarios it knows, with their descriptions.
 */
export const ControlRequestSchema = Type.Union([
  Type.Object(
    {
      scenario: Type.String({ minLength: 1, maxLength: 100 }),
      definition: Type.Optional(Type.String({ maxLength: MAX_SCENARIO_DEFINITION_CHARS })),
      speedup: Type.Optional(SpeedupSchema),
      id: Type.Optional(Id),
      replyTo: Type.Optional(Topic),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { list: Type.Literal(true), id: Type.Optional(Id), replyTo: Type.Optional(Topic) },
    { additionalProperties: false },
  ),
]);
/** A command for the simulator. */
export type ControlRequest = Static<typeof ControlRequestSchema>;

/** One scenario the simulator knows; an invalid file says so in its description. */
export const ScenarioSummarySchema = Type.Object({
  name: Type.String(),
  description: Type.String(),
  valid: Type.Boolean(),
});
/** One scenario as listed by the simulator. */
export type ScenarioSummary = Static<typeof ScenarioSummarySchema>;

/** The answer to a started scenario: how many steps it has and how long it lasts. */
export const ScenarioStartedSchema = Type.Object({
  id: Type.String(),
  ok: Type.Literal(true),
  scenario: Type.String(),
  steps: Type.Integer(),
  lengthMs: Type.Integer(),
});

/**
 * Why a command failed: `unknown-scenario` when no scenario has that name (the api answers 404),
 * `failed` for anything else (an invalid file, a stopped simulator).
 */
export const ControlFailureReasonSchema = Type.Union([
  Type.Literal('unknown-scenario'),
  Type.Literal('failed'),
]);

/** The answer to a control request, on its `replyTo` topic. */
export const ControlReplySchema = Type.Union([
  ScenarioStartedSchema,
  Type.Object({
    id: Type.String(),
    ok: Type.Literal(true),
    scenarios: Type.Array(ScenarioSummarySchema),
  }),
  Type.Object({
    id: Type.String(),
    ok: Type.Literal(false),
    error: Type.String(),
    reason: Type.Optional(ControlFailureReasonSchema),
  }),
]);
/** The simulator's answer to a command. */
export type ControlReply = Static<typeof ControlReplySchema>;

const requestValidator = createValidator(ControlRequestSchema);
const replyValidator = createValidator(ControlReplySchema);

function parseJson(payload: string): Checked<unknown> {
  try {
    return { ok: true, value: JSON.parse(payload) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ path: '(payload)', message: `not JSON: ${message}` }] };
  }
}

/** Parses a control request from an MQTT payload. */
export function parseControlRequest(payload: string): Checked<ControlRequest> {
  const json = parseJson(payload);
  return json.ok ? requestValidator.check(json.value) : json;
}

/** Parses a control reply from an MQTT payload. */
export function parseControlReply(payload: string): Checked<ControlReply> {
  const json = parseJson(payload);
  return json.ok ? replyValidator.check(json.value) : json;
}
