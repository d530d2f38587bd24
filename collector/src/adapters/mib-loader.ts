import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import snmp from 'net-snmp';
import type { Logger } from '@faultline/shared';
import { createOidNames, type OidNames } from '../core/oid-names.js';

/** The MIB modules built in: net-snmp's base modules plus IF-MIB (which it ships but does not load). */
export const BUILT_IN_MIB_MODULES = [
  'RFC1155-SMI',
  'RFC1158-MIB',
  'RFC-1212',
  'RFC1213-MIB',
  'RFC-1215',
  'SNMPv2-SMI',
  'SNMPv2-CONF',
  'SNMPv2-TC',
  'SNMPv2-MIB',
  'IANAifType-MIB',
  'IF-MIB',
] as const;

/** The MIBs loaded at start, and the vendor files that were skipped. */
export interface LoadedMibs {
  readonly names: OidNames;
  /** Vendor modules loaded, by name. */
  readonly modules: readonly string[];
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/** A vendor MIB file's module name and the modules it imports, read from its text. */
export interface MibFileHeader {
  readonly module: string;
  readonly imports: readonly string[];
}

const HEADER = /^\s*([A-Za-z][A-Za-z0-9-]*)\s+DEFINITIONS\s*::=\s*BEGIN\b/m;
const END = /\bEND\s*$/;

/**
 * Reads what a MIB file says it is, or why it is not a MIB module: the header `NAME DEFINITIONS
 * ::= BEGIN`, a final `END`, and the modules named in `FROM` clauses of its IMPORTS.
 */
export function mibFileHeader(text: string): MibFileHeader | { readonly error: string } {
  const withoutComments = text.replace(/--.*$/gm, '');
  const header = HEADER.exec(withoutComments);
  if (header?.[1] === undefined) return { error: 'no "<MODULE> DEFINITIONS ::= BEGIN" header' };
  if (!END.test(withoutComments.trimEnd())) return { error: 'no END at the end of the module' };
  const importsBlock = /\bIMPORTS\b([\s\S]*?);/.exec(withoutComments)?.[1] ?? '';
  const imports = [...importsBlock.matchAll(/\bFROM\s+([A-Za-z][A-Za-z0-9-]*)/g)].flatMap(
    (match) => (match[1] === undefined ? [] : [match[1]]),
  );
  return { module: header[1], imports };
}

/**
 * Orders modules so each comes after the modules it imports (the parser resolves imports when a
 * module is loaded). A module importing one that is neither built in nor among the files, or in an
 * import cycle, is returned in `unresolved` with the missing names.
 */
export function loadOrder(
  headers: readonly (MibFileHeader & { readonly file: string })[],
  available: ReadonlySet<string>,
): {
  order: (MibFileHeader & { readonly file: string })[];
  unresolved: { file: string; missing: string[] }[];
} {
  const loaded = new Set(available);
  const pending = [...headers];
  const order: (MibFileHeader & { readonly file: string })[] = [];
  let progress = true;
  while (pending.length > 0 && progress) {
    progress = false;
    for (let i = 0; i < pending.length;) {
      const header = pending[i];
      if (header?.imports.every((name) => loaded.has(name)) === true) {
        order.push(header);
        loaded.add(header.module);
        pending.splice(i, 1);
        progress = true;
      } else {
        i += 1;
      }
    }
  }
  return {
    order,
    unresolved: pending.map((header) => ({
      file: header.file,
      missing: header.imports.filter((name) => !loaded.has(name)),
    })),
  };
}

/** Every `[oid, 'MODULE::object']` of the modules in the store. */
function namesOf(store: snmp.ModuleStore): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [moduleName, entries] of Object.entries(store.getModules(true))) {
    for (const entry of Object.values(entries)) {
      if (typeof entry.OID === 'string' && typeof entry.ObjectName === 'string') {
        pairs.push([entry.OID, `${moduleName}::${entry.ObjectName}`]);
      }
    }
  }
  return pairs;
}

/**
 * Loads the built-in MIBs and every file of the given folders (files whose name starts with `.`
 * are ignored). A folder that cannot be read fails the start: the config names it, so it must be
 * there. A file that is not a MIB module, imports a module nobody provides, or that the parser
 * rejects is skipped with a warning: vendor MIB folders are often untidy, and one bad file must not
 * keep the collector from receiving traps.
 */
export async function loadMibs(dirs: readonly string[], logger: Logger): Promise<LoadedMibs> {
  const store = snmp.createModuleStore({ baseModules: [...BUILT_IN_MIB_MODULES] });
  const skipped: { file: string; reason: string }[] = [];
  const headers: (MibFileHeader & { file: string })[] = [];
  for (const dir of dirs) {
    let files: string[];
    try {
      files = (await readdir(dir, { withFileTypes: true }))
        .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
        .map((entry) => join(dir, entry.name))
        .sort();
    } catch (error) {
      throw new Error(`cannot read MIB folder ${dir}`, { cause: error });
    }
    for (const file of files) {
      const header = mibFileHeader(await readFile(file, 'utf8'));
      if ('error' in header) skipped.push({ file, reason: header.error });
      else headers.push({ ...header, file });
    }
  }
  const { order, unresolved } = loadOrder(headers, new Set(store.getModuleNames(true)));
  for (const { file, missing } of unresolved) {
    skipped.push({ file, reason: `imports ${missing.join(', ')}, which no MIB provides` });
  }
  const modules: string[] = [];
  for (const header of order) {
    try {
      store.loadFromFile(header.file);
      if (store.getModule(header.module) === undefined) {
        skipped.push({ file: header.file, reason: 'the parser found no module in it' });
      } else {
        modules.push(header.module);
      }
    } catch (error) {
      skipped.push({
        file: header.file,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  for (const { file, reason } of skipped) logger.warn({ file, reason }, 'MIB file skipped');
  const names = createOidNames(namesOf(store));
  logger.info({ modules, skipped: skipped.length, names: names.size }, 'MIBs loaded');
  return { names, modules, skipped };
}
