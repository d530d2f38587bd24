import type { EventDefinition } from '@faultline/shared';
import { oidHasPrefix, oidSuffix } from './oid.js';
import { varbindText, type RawVarbind } from './varbind.js';

/** Trap OIDs of the generic notifications (SNMPv2-MIB snmpTraps, RFC 3418). */
export const GENERIC_TRAP_OIDS = {
  coldStart: '1.3.6.1.6.3.1.1.5.1',
  warmStart: '1.3.6.1.6.3.1.1.5.2',
  linkDown: '1.3.6.1.6.3.1.1.5.3',
  linkUp: '1.3.6.1.6.3.1.1.5.4',
  authenticationFailure: '1.3.6.1.6.3.1.1.5.5',
} as const;

/** The event types of the generic restart notifications. */
export const RESTART_TRAP_TYPES = ['coldStart', 'warmStart'] as const;

/** `<coldStart|warmStart>:<device>`: the reduction key the built-in restart definitions make. */
export function restartAlarmKey(type: (typeof RESTART_TRAP_TYPES)[number], device: string): string {
  return `${type}:${device}`;
}

/** IF-MIB ifIndex: linkDown/linkUp carry `ifIndex.N = N`. */
export const IF_INDEX_OID = '1.3.6.1.2.1.2.2.1.1';

const ifIndex = `{vb:${IF_INDEX_OID}}`;
const ifName = `{interface:${IF_INDEX_OID}}`;

/**
 * The definitions every collector knows. Config `events` with the same trap OID replace these.
 * Besides the placeholders documented with the config schema, templates here use
 * `{interface:OID}`: the configured name of the interface whose ifIndex is the value of that
 * varbind, empty when the device or interface is not configured.
 */
export const BUILTIN_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  {
    trapOid: GENERIC_TRAP_OIDS.coldStart,
    type: 'coldStart',
    severity: 'warning',
    reductionKey: '{type}:{device}',
    description: '{device} restarted (cold start)',
  },
  {
    trapOid: GENERIC_TRAP_OIDS.warmStart,
    type: 'warmStart',
    severity: 'warning',
    reductionKey: '{type}:{device}',
    description: '{device} restarted (warm start)',
  },
  {
    trapOid: GENERIC_TRAP_OIDS.linkDown,
    type: 'linkDown',
    severity: 'major',
    reductionKey: `linkDown:{device}:ifIndex=${ifIndex}`,
    component: ifName,
    description: `Link down on {device} ifIndex ${ifIndex}`,
  },
  {
    trapOid: GENERIC_TRAP_OIDS.linkUp,
    type: 'linkUp',
    severity: 'cleared',
    reductionKey: `linkUp:{device}:ifIndex=${ifIndex}`,
    clearKey: `linkDown:{device}:ifIndex=${ifIndex}`,
    component: ifName,
    description: `Link up on {device} ifIndex ${ifIndex}`,
  },
  {
    trapOid: GENERIC_TRAP_OIDS.authenticationFailure,
    type: 'authenticationFailure',
    severity: 'warning',
    reductionKey: '{type}:{device}',
    description: '{device} reports an SNMP request with wrong credentials',
  },
];

/** A definition with its templates parsed once, so that each trap only fills them in. */
export interface CompiledDefinition {
  readonly definition: EventDefinition;
  readonly reductionKey: CompiledTemplate;
  readonly clearKey?: CompiledTemplate;
  readonly component?: CompiledTemplate;
  readonly description: CompiledTemplate;
}

/** Event definitions by trap OID, each list in the order it is tried. */
export type EventDefinitionTable = ReadonlyMap<string, readonly CompiledDefinition[]>;

function compileDefinition(definition: EventDefinition): CompiledDefinition {
  return {
    definition,
    reductionKey: compileTemplate(definition.reductionKey),
    ...(definition.clearKey === undefined
      ? {}
      : { clearKey: compileTemplate(definition.clearKey) }),
    ...(definition.component === undefined
      ? {}
      : { component: compileTemplate(definition.component) }),
    description: compileTemplate(definition.description),
  };
}

/**
 * Built-in definitions merged with the configured ones. A trap OID that the config defines loses
 * all its built-in definitions, so an operator can redefine linkDown entirely; several configured
 * definitions of one trap OID are kept in config order and told apart by `match`.
 */
export function mergeEventDefinitions(
  configured: readonly EventDefinition[],
): EventDefinitionTable {
  const table = new Map<string, CompiledDefinition[]>();
  const configuredOids = new Set(configured.map((d) => d.trapOid));
  const builtin = BUILTIN_EVENT_DEFINITIONS.filter((d) => !configuredOids.has(d.trapOid));
  for (const definition of [...builtin, ...configured]) {
    const compiled = compileDefinition(definition);
    const list = table.get(definition.trapOid);
    if (list) list.push(compiled);
    else table.set(definition.trapOid, [compiled]);
  }
  return table;
}

/** The first varbind under `prefix`. */
export function findVarbind(
  varbinds: readonly RawVarbind[],
  prefix: string,
): RawVarbind | undefined {
  return varbinds.find((varbind) => oidHasPrefix(varbind.oid, prefix));
}

/** True when every `match` entry names a varbind (by OID prefix) whose value is that text. */
export function matchesVarbinds(
  match: Readonly<Record<string, string>> | undefined,
  varbinds: readonly RawVarbind[],
): boolean {
  if (match === undefined) return true;
  return Object.entries(match).every(([prefix, expected]) => {
    const varbind = findVarbind(varbinds, prefix);
    return varbind !== undefined && varbindText(varbind) === expected;
  });
}

/** The definition that applies to a trap: the first of its OID whose `match` holds. */
export function selectDefinition(
  table: EventDefinitionTable,
  trapOid: string,
  varbinds: readonly RawVarbind[],
): CompiledDefinition | undefined {
  return table
    .get(trapOid)
    ?.find((compiled) => matchesVarbinds(compiled.definition.match, varbinds));
}

/** What a template can refer to. */
export interface TemplateContext {
  readonly device: string;
  readonly type: string;
  readonly oid: string;
  readonly varbinds: readonly RawVarbind[];
  /** The configured interface name for an ifIndex on this device. */
  interfaceName(ifIndex: number): string | undefined;
}

const PLACEHOLDER = /\{(device|type|oid)\}|\{(vb|index|interface):\.?([0-9]+(?:\.[0-9]+)*)\}/g;

type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'device' | 'type' | 'oid' }
  | { readonly kind: 'vb' | 'index' | 'interface'; readonly oid: string };

/** A template parsed into text and placeholders. */
export interface CompiledTemplate {
  render(context: TemplateContext): string;
}

/**
 * Parses a template once. A placeholder whose varbind is absent renders as the empty string; text
 * that is not a known placeholder is kept as written.
 */
export function compileTemplate(template: string): CompiledTemplate {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push({ kind: 'text', text: template.slice(last, match.index) });
    const [whole, simple, kind, oid] = match;
    if (simple === 'device' || simple === 'type' || simple === 'oid') parts.push({ kind: simple });
    else if ((kind === 'vb' || kind === 'index' || kind === 'interface') && oid !== undefined) {
      parts.push({ kind, oid });
    } else parts.push({ kind: 'text', text: whole });
    last = match.index + whole.length;
  }
  if (last < template.length) parts.push({ kind: 'text', text: template.slice(last) });
  return {
    render(context) {
      let out = '';
      for (const part of parts) out += renderPart(part, context);
      return out;
    },
  };
}

function renderPart(part: TemplatePart, context: TemplateContext): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'device':
      return context.device;
    case 'type':
      return context.type;
    case 'oid':
      return context.oid;
    default: {
      const varbind = findVarbind(context.varbinds, part.oid);
      if (varbind === undefined) return '';
      if (part.kind === 'vb') return varbindText(varbind);
      if (part.kind === 'index') return oidSuffix(varbind.oid, part.oid) ?? '';
      const index = Number(varbindText(varbind));
      return Number.isSafeInteger(index) ? (context.interfaceName(index) ?? '') : '';
    }
  }
}

/** Fills a template (parsing it each time: hot paths keep a `compileTemplate` result). */
export function renderTemplate(template: string, context: TemplateContext): string {
  return compileTemplate(template).render(context);
}
