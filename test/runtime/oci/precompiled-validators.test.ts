/**
 * The CLI's bundle validates OCI documents with Ajv's standalone code, generated when
 * it is built (precompiled-validators.ts); the library compiles the same schemas on
 * first use. Both must give the same verdicts and the same errors, which become the
 * messages runc prints.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { ENTRY_REF, ociAjv, type SchemaEntry } from '../../../src/runtime/oci/schema-validator.js';
import { precompiledModuleSource } from '../../../src/runtime/oci/precompiled-validators.js';
import { fixtureJson, fixtureNames, fixtureText } from './fixture-files.js';

let precompiled: Record<SchemaEntry, ValidateFunction>;
let compiled: Record<SchemaEntry, ValidateFunction>;

beforeAll(async () => {
  const mod = (await import(`data:text/javascript,${encodeURIComponent(precompiledModuleSource())}`)) as { PRECOMPILED: Record<SchemaEntry, ValidateFunction> };
  precompiled = mod.PRECOMPILED;
  const ajv = ociAjv();
  compiled = Object.fromEntries((Object.keys(ENTRY_REF) as SchemaEntry[]).map((e) => [e, ajv.getSchema(ENTRY_REF[e])!])) as Record<SchemaEntry, ValidateFunction>;
});

/** Copies `doc` with the value at `path` replaced (or removed, for undefined). */
function withValue(doc: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

/** Documents for each entry: the reference files, and one broken copy for each kind of rule. */
function documents(): [SchemaEntry, string, unknown][] {
  const out: [SchemaEntry, string, unknown][] = [];
  const configs: [string, unknown][] = fixtureNames('config-good').map((f) => [`config-good/${f}`, fixtureJson(`config-good/${f}`)]);
  for (const f of fixtureNames('config-bad')) {
    try {
      configs.push([`config-bad/${f}`, JSON.parse(fixtureText(`config-bad/${f}`))]);
    } catch {
      // invalid-json.json is refused before any schema.
    }
  }
  configs.push(['runc/runc-spec-default.json', fixtureJson('runc/runc-spec-default.json')], ['config-md-example.json', fixtureJson('config-md-example.json')]);
  const base = fixtureJson('runc/runc-spec-default.json');
  const broken: [string, (string | number)[], unknown][] = [
    ['no ociVersion', ['ociVersion'], undefined],
    ['a number for ociVersion', ['ociVersion'], 1],
    ['no root.path', ['root', 'path'], undefined],
    ['an unknown namespace type', ['linux', 'namespaces', 0, 'type'], 'time-travel'],
    ['a negative uid', ['process', 'user', 'uid'], -1],
    ['a uid past uint32', ['process', 'user', 'uid'], 2 ** 32],
    ['a string for terminal', ['process', 'terminal'], 'yes'],
    ['an rlimit type not matching the pattern', ['process', 'rlimits', 0, 'type'], 'NOFILE'],
    ['a hook without a path', ['hooks'], { prestart: [{ args: ['x'] }] }],
    ['a timeout of 0', ['hooks'], { prestart: [{ path: '/bin/true', timeout: 0 }] }],
    ['an object for args', ['process', 'args'], { a: 1 }],
    ['a device of an unknown type', ['linux', 'devices'], [{ path: '/dev/x', type: 'q' }]],
    ['a memory limit as a string', ['linux', 'resources'], { memory: { limit: '64m' } }],
    ['a cpus list with letters', ['linux', 'resources'], { cpu: { cpus: '0-a' } }],
    ['a mount without a destination', ['mounts', 0, 'destination'], undefined],
    ['null for process', ['process'], null],
  ];
  for (const [name, path, value] of broken) configs.push([`runc spec with ${name}`, withValue(base, path, value)]);
  for (const [name, doc] of configs) out.push(['config', name, doc]);
  for (const [name, doc] of configs) {
    const p = (doc as { process?: unknown }).process;
    if (p !== undefined) out.push(['process', `process of ${name}`, p]);
  }
  const state = fixtureJson('state-good/spec-example.json');
  out.push(['state', 'state-good/spec-example.json', state], ['state', 'runc/runc-state-output.json', fixtureJson('runc/runc-state-output.json')]);
  out.push(['state', 'a state with an unknown status', withValue(state, ['status'], 'dancing')], ['state', 'a state without a pid', withValue(state, ['pid'], undefined)], ['state', 'an array', []]);
  return out;
}

describe('the precompiled OCI validators', () => {
  test('cover the same entries', () => {
    expect(Object.keys(precompiled).sort()).toEqual(Object.keys(ENTRY_REF).sort());
  });

  test('give the verdicts and errors of the ones Ajv compiles at run time', () => {
    let invalid = 0;
    for (const [entry, name, doc] of documents()) {
      const a = precompiled[entry](doc);
      const b = compiled[entry](doc);
      expect(a, `${entry}: ${name}`).toBe(b);
      expect(precompiled[entry].errors ?? null, `${entry}: ${name}`).toEqual(compiled[entry].errors ?? null);
      if (!b) invalid++;
    }
    // The corpus exercises the failing paths, not only the passing ones.
    expect(invalid).toBeGreaterThan(15);
  });
});
