import { Type, type Static } from '@sinclair/typebox';
import { createValidator, type Checked } from '@faultline/shared';

/** The control topic of a Faultline instance: commands for its running simulator. */
export function controlTopic(prefix: string): string {
  return `${prefix}/simulator/control`;
}

/** Where one CLI invocation waits for its answer (unique per request). */
export function replyTopic(prefix: string, requestId: string): string {
  return `${prefix}/simulator/reply/${requestId}`;
}

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const Topic = Type.String({ minLength: 1, maxLength: 500, pattern: '^[^#+]+$' });

/**
 * A command published on the control topic. `{ "scenario": "fibre-cut" }` alone starts the
 * scenario without an answer; with `id` and `replyTo` the simulator answers on `replyTo`.
 * `{ "list": true }` asks for the scenarios it knows.
 */
export const ControlRequestSchema = Type.Union([
  Type.Object(
    {
      scenario: Type.String({ minLength: 1, maxLength: 100 }),
      speedup: Type.Optional(Type.Number({ minimum: 0.001, maximum: 10_000 })),
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
export type ControlRequest = Static<typeof ControlRequestSchema>;

/** The answer to a control request, on its `replyTo` topic. */
export const ControlReplySchema = Type.Union([
  Type.Object({
    id: Type.String(),
    ok: Type.Literal(true),
    scenario: Type.String(),
    steps: Type.Integer(),
    lengthMs: Type.Integer(),
  }),
  Type.Object({ id: Type.String(), ok: Type.Literal(true), scenarios: Type.Array(Type.String()) }),
  Type.Object({ id: Type.String(), ok: Type.Literal(false), error: Type.String() }),
]);
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
