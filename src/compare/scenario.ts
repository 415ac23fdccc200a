/**
 * Scenario files of `ctsim compare` (version 1): hosts, the instances on them, the
 * workloads they run, phases, and a matrix of variants — YAML or JSON, checked by the
 * JSON Schema that ships in fixtures/scenarios/scenario.schema.json (which editors can
 * use for completion), then by the rules a schema cannot express (names that refer to
 * something, unique names).
 *
 *   text ──YAML 1.2 (JSON too)──▶ document ──schema──▶ rules ──▶ Scenario ──matrix.ts──▶ variants
 *
 * Every error names the file, the line and column, the key's path, what was expected
 * and what was found (InputError: exit 3).
 */
import type { ValidateFunction } from 'ajv';
import { compileSchema, describeValue, parseYamlInput, schemaFailure, type Fail, type SchemaWording } from '../sim/yaml-input.js';
import { MAX_HOST_MEMORY_BYTES } from '../sim/units.js';
import { readFixtureJson } from '../sim/fixtures.js';
import { InputError } from '../sim/input-error.js';
import { listImages } from '../runtime/images.js';
import type { MatrixParam } from './matrix.js';
import { findProfile, PROFILES } from '../hypervisor/profiles.js';

export type InstanceKind = 'native' | 'container' | 'vm';
export type WorkloadKind = 'cpu' | 'memory' | 'pagefault' | 'fork' | 'syscall' | 'pagetable' | 'disk' | 'net-rr' | 'net-bulk' | 'script';

export interface ScenarioHost {
  name: string;
  cpus: number;
  memoryBytes: number;
  nics: number;
  /** Disk sizes in bytes; null: the default (one disk when a workload needs one). */
  disks: number[] | null;
  costs: string;
  hypervisor: 1 | 2;
}

export interface ScenarioInstance {
  name: string;
  kind: InstanceKind;
  host: string;
  count: number;
  /** The document's other settings (image, limits, vcpus, cpuVirt, …) as written, sizes in bytes. */
  settings: Record<string, unknown>;
}

export interface ScenarioWorkload {
  name: string;
  kind: WorkloadKind;
  script: string | null;
  ops: number | null;
  sizeBytes: number | null;
}

export interface ScenarioPhase {
  name: string;
  start: string[];
  run: string[];
  on: string[];
  repeat: number;
  idle: string | null;
}

/** A claim the results must bear out: `higher` > `lower` × factor, or `near` within a fraction of each other. */
export interface Expectation {
  claim: string;
  source: string;
  metric: string;
  compare: { kind: 'order'; lower: string; higher: string; factor: number } | { kind: 'near'; a: string; b: string; within: number };
}

export interface Scenario {
  name: string;
  seed: number;
  hosts: ScenarioHost[];
  instances: ScenarioInstance[];
  workloads: ScenarioWorkload[];
  phases: ScenarioPhase[];
  matrix: { key: string; values: (string | number | boolean)[] }[];
  measure: string[];
  expect: Expectation[];
}

/** One run of a matrix: the scenario with one value per matrix key, and its label ("v1.cpuVirt=bt"). */
export interface Variant {
  label: string;
  scenario: Scenario;
}

const SCHEMA_FIXTURE = 'scenarios/scenario.schema.json';
const KINDS: readonly string[] = ['native', 'container', 'vm'];
/** The settings each kind of instance takes (the schema lists them all; a setting of another kind would do nothing). */
const KIND_SETTINGS: Record<InstanceKind, readonly string[]> = {
  native: [],
  container: ['image', 'network', 'limits', 'bundle'],
  vm: ['profile', 'vcpus', 'memory', 'cpuVirt', 'memVirt', 'nic', 'disk'],
};
const SIZE_UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };

/** "256MiB" or a number of bytes, as the schema allows them. */
export function parseSize(v: unknown): number {
  if (typeof v === 'number') return v;
  const m = /^([0-9]+)(B|KiB|MiB|GiB|TiB)$/.exec(String(v))!;
  return Number(m[1]) * SIZE_UNITS[m[2]];
}

let validator: ValidateFunction | null = null;

/**
 * Parses and checks a scenario file's text; `source` names it in errors. `params`
 * (from `--param KEY=v1,v2,…`) add matrix keys, or replace the file's key of the same
 * name where it stands; they are checked by the same rules as the file's keys, and
 * their errors name `--param` and the key.
 */
export function parseScenario(text: string, source: string, params: readonly MatrixParam[] = []): Scenario {
  const { data, fail } = parseYamlInput(text, source);
  const validate = schemaValidator();
  if (!validate(data)) schemaFailure(validate.errors ?? [], data, fail, scenarioWording);
  const d = data as Doc;
  const named = { ...d, name: d.name ?? fileStem(source) };
  if (params.length === 0) return build(named, fail, matrixFailures(d.matrix ?? {}, fail, new Set()));
  const matrix = { ...(d.matrix ?? {}) };
  for (const p of params) matrix[p.key] = p.values;
  return build({ ...named, matrix }, fail, matrixFailures(matrix, fail, new Set(params.map((p) => p.key))));
}

/** A scenario's default name, as the schema says: its file's name ("runs/spin.yaml" → "spin"). */
function fileStem(source: string): string {
  return source.split(/[\\/]/).pop()!.replace(/\.(ya?ml|json)$/i, '') || 'scenario';
}

function schemaValidator(): ValidateFunction {
  return (validator ??= compileSchema(readFixtureJson(SCHEMA_FIXTURE) as object));
}

/** Reports a problem with one matrix key or with its j-th value: `expected`, `found`. */
type MatrixFail = (key: string, j: number | null, expected: string, found: string) => never;

/** The file's keys fail at their place in the file; --param keys name the flag and the key. */
function matrixFailures(matrix: Record<string, unknown>, fail: Fail, fromParams: ReadonlySet<string>): MatrixFail {
  return (key, j, expected, found) => {
    if (fromParams.has(key)) throw new InputError({ source: `--param ${key}`, expected, found: j === null ? found : `${found} (value ${j + 1} of ${(matrix[key] as unknown[]).length})` });
    return fail(j === null ? ['matrix', key] : ['matrix', key, j], expected, found);
  };
}

/** The schema errors a scenario words itself: its oneOfs (an expectation, a size), its patterns. */
const scenarioWording: SchemaWording = (e, path, errors) => {
  // An expectation is a oneOf (an order, or nearness): say which keys each needs.
  const oneOf = errors.find((x) => x.keyword === 'oneOf' && x.instancePath === e.instancePath);
  if (oneOf && path[0] === 'expect' && path.length === 2) return { expected: 'either "lower" and "higher", or "near" and "within" (not both)' };
  // A size is a oneOf (a number of bytes, or a string with a unit): say so, not one branch.
  if (oneOf) return { expected: sizeOrName(path) };
  if (e.keyword === 'pattern') return { expected: path.includes('matrix') || e.instancePath.includes('matrix') ? 'a key INSTANCE.FIELD' : sizeOrName(path) };
  if (e.keyword === 'not') return { path: [...path, 'script'], expected: 'a script only with "kind": "script"' };
  return undefined;
};

function sizeOrName(path: (string | number)[]): string {
  const last = path[path.length - 1];
  if (last === 'name' || last === 'host') return 'a name (letters, digits, _ . -, up to 63, starting with a letter or digit)';
  if (last === 'idle') return 'a duration such as "500ms" or "1s"';
  return 'a size such as 256MiB (B, KiB, MiB, GiB, TiB) or a number of bytes';
}

// The document as the schema guarantees it.
interface Doc {
  name?: string;
  seed?: number;
  hosts: Record<string, unknown>[];
  instances: Record<string, unknown>[];
  workloads: Record<string, unknown>[];
  phases?: Record<string, unknown>[];
  matrix?: Record<string, (string | number | boolean)[]>;
  measure?: string[];
  expect?: Record<string, unknown>[];
}

function build(d: Doc, fail: Fail, matrixFail: MatrixFail): Scenario {
  const unique = (list: Record<string, unknown>[], what: string): Set<string> => {
    const seen = new Map<string, number>();
    list.forEach((x, i) => {
      const n = x.name as string;
      if (seen.has(n)) fail([what, i, 'name'], `a name no other of the ${what} has`, `"${n}", already the name of $.${what}[${seen.get(n)}]`);
      seen.set(n, i);
    });
    return new Set(seen.keys());
  };
  const hostNames = unique(d.hosts, 'hosts');
  const instNames = unique(d.instances, 'instances');
  const wlNames = unique(d.workloads, 'workloads');
  d.hosts.forEach((h, i) => {
    if (h.memory !== undefined && parseSize(h.memory) > MAX_HOST_MEMORY_BYTES) fail(['hosts', i, 'memory'], 'at most 1TiB (a larger simulated host would exhaust this machine)', describeValue(h.memory));
  });
  const hosts: ScenarioHost[] = d.hosts.map((h) => ({
    name: h.name as string,
    cpus: (h.cpus as number | undefined) ?? 2,
    memoryBytes: h.memory === undefined ? 4 * 1024 ** 3 : parseSize(h.memory),
    nics: (h.nics as number | undefined) ?? 1,
    disks: h.disks === undefined ? null : (h.disks as unknown[]).map(parseSize),
    costs: (h.costs as string | undefined) ?? 'default',
    hypervisor: (h.hypervisor as 1 | 2 | undefined) ?? 2,
  }));
  const instances: ScenarioInstance[] = d.instances.map((x, i) => {
    const host = (x.host as string | undefined) ?? hosts[0].name;
    if (!hostNames.has(host)) fail(['instances', i, 'host'], `one of the hosts (${[...hostNames].join(', ')})`, `"${host}"`);
    const { name, kind, host: _h, count, ...rest } = x;
    const allowed = KIND_SETTINGS[kind as InstanceKind];
    for (const k of Object.keys(rest)) if (!allowed.includes(k)) fail(['instances', i, k], allowed.length > 0 ? `a setting of a ${kind as string} (${allowed.join(', ')})` : `no settings on the host itself (native)`, `"${k}"`);
    if (rest.image !== undefined && !listImages().includes(String(rest.image).replace(/:.*$/, ''))) fail(['instances', i, 'image'], `an image ctsim ships (${listImages().join(', ')})`, `"${rest.image as string}"`);
    if (rest.bundle !== undefined) {
      if (kind !== 'container') fail(['instances', i, 'bundle'], 'a bundle only on a container', `a bundle on a ${kind as string}`);
      for (const k of ['image', 'network', 'limits']) if (rest[k] !== undefined) fail(['instances', i, k], `no ${k} with a bundle (its config.json decides)`, `${k} and bundle`);
    }
    // A VM's profile names a product of one hypervisor type; it must be its host's.
    const type = hosts.find((h) => h.name === host)!.hypervisor;
    const profile = rest.profile === undefined ? undefined : findProfile(rest.profile as string);
    if (kind === 'vm' && profile && profile.hypervisorType !== type) {
      fail(['instances', i, 'profile'], `a profile of a type ${type} hypervisor (${PROFILES.filter((p) => p.hypervisorType === type).map((p) => p.name).join(', ')}): host ${host} has hypervisor ${type}`, `"${profile.name}", a type ${profile.hypervisorType} hypervisor's`);
    }
    for (const k of ['memory', 'disk']) if (rest[k] !== undefined) rest[k] = parseSize(rest[k]);
    const limits = rest.limits as Record<string, unknown> | undefined;
    if (limits?.memory !== undefined) rest.limits = { ...limits, memory: parseSize(limits.memory) };
    return { name: name as string, kind: kind as InstanceKind, host, count: (count as number | undefined) ?? 1, settings: rest };
  });
  const workloads: ScenarioWorkload[] = d.workloads.map((w) => ({
    name: w.name as string,
    kind: w.kind as WorkloadKind,
    script: (w.script as string | undefined) ?? null,
    ops: (w.ops as number | undefined) ?? null,
    sizeBytes: w.size === undefined ? null : parseSize(w.size),
  }));
  // Names in phases refer to instances (or kinds) and workloads.
  const refs = (list: unknown, i: number, key: string, names: Set<string>, kinds: boolean): string[] => {
    const xs = (list as string[] | undefined) ?? [];
    xs.forEach((n, j) => {
      if (!names.has(n) && !(kinds && KINDS.includes(n))) fail(['phases', i, key, j], kinds ? `an instance name or a kind (native, container, vm)` : 'a workload name', `"${n}"`);
    });
    return xs;
  };
  // By default the instances start, then settle for a second (a guest's boot leaves work behind), then the workloads run.
  const phases: ScenarioPhase[] = (d.phases ?? [
    { name: 'start', start: [...instNames], idle: '1s' },
    { name: 'run', run: [...wlNames] },
  ]).map((p, i) => ({
    name: p.name as string,
    start: refs(p.start, i, 'start', instNames, true),
    run: refs(p.run, i, 'run', wlNames, false),
    on: refs(p.on, i, 'on', instNames, true),
    repeat: (p.repeat as number | undefined) ?? 1,
    idle: (p.idle as string | undefined) ?? null,
  }));
  const matrix = Object.entries(d.matrix ?? {}).map(([key, values]) => {
    checkMatrixEntry(d, key, values, matrixFail);
    return { key, values };
  });
  const metrics = new Set(['startup', 'memory', 'density', ...wlNames]);
  const expect: Expectation[] = (d.expect ?? []).map((x, i) => {
    if (!metrics.has(x.metric as string)) fail(['expect', i, 'metric'], `startup, memory, density or a workload (${[...wlNames].join(', ')})`, `"${x.metric as string}"`);
    const inst = (key: string, v: unknown, j?: number): string => {
      if (!instNames.has(v as string)) fail(j === undefined ? ['expect', i, key] : ['expect', i, key, j], `an instance name (${[...instNames].join(', ')})`, `"${v as string}"`);
      return v as string;
    };
    const near = x.near as string[] | undefined;
    const compare: Expectation['compare'] = near
      ? { kind: 'near', a: inst('near', near[0], 0), b: inst('near', near[1], 1), within: x.within as number }
      : { kind: 'order', lower: inst('lower', x.lower), higher: inst('higher', x.higher), factor: (x.factor as number | undefined) ?? 1 };
    return { claim: x.claim as string, source: x.source as string, metric: x.metric as string, compare };
  });
  return { name: d.name ?? 'scenario', seed: d.seed ?? 1, hosts, instances, workloads, phases, matrix, measure: d.measure ?? ['startup', 'memory', 'density', 'time', 'exits', 'isolation'], expect };
}

/** Fields a matrix cannot vary: they say which instance or host a key names, or where it runs. */
const FIXED_FIELDS: readonly string[] = ['name', 'kind', 'host'];

/**
 * One matrix key and its values, by the rules a file's keys and `--param` share: the key
 * names an instance, a kind that some instance is of, or a host; its field is one the
 * target can have but not its name, kind or host; and each value, set on every target,
 * leaves a document the schema accepts (so `vm.cpuVirt=xx` fails as `cpuVirt: xx` would).
 */
function checkMatrixEntry(d: Doc, key: string, values: unknown[], fail: MatrixFail): void {
  const dot = key.lastIndexOf('.');
  const target = key.slice(0, dot);
  const field = key.slice(dot + 1);
  const what = 'a key INSTANCE.FIELD naming an instance, a kind (native, container, vm) or host.NAME';
  const list = target.startsWith('host.') ? 'hosts' : 'instances';
  const targets = (list === 'hosts' ? d.hosts : d.instances).flatMap((x, i) => (x.name === (list === 'hosts' ? target.slice(5) : target) || (list === 'instances' && x.kind === target) ? [i] : []));
  if (targets.length === 0) fail(key, null, what, KINDS.includes(target) ? `"${key}", but no instance is of kind ${target}` : `"${key}"`);
  const schema = readFixtureJson(SCHEMA_FIXTURE) as { properties: Record<string, { items: { properties: Record<string, unknown> } }> };
  const fields = Object.keys(schema.properties[list].items.properties).filter((f) => !FIXED_FIELDS.includes(f));
  if (!fields.includes(field) && !FIXED_FIELDS.includes(field)) fail(key, null, `a field ${list === 'hosts' ? 'a host' : 'an instance'} has (${fields.join(', ')})`, `"${field}"`);
  if (FIXED_FIELDS.includes(field)) fail(key, null, `a field other than ${FIXED_FIELDS.join(', ')} (a matrix varies settings, not which ${list === 'hosts' ? 'host' : 'instance'} it is)`, `"${key}"`);
  const validate = schemaValidator();
  values.forEach((value, j) => {
    const doc = structuredClone(d) as unknown as Record<string, Record<string, unknown>[]>;
    for (const i of targets) doc[list][i][field] = value;
    if (validate(doc)) return;
    // The document was valid before: the first complaint is about this value (or the field's name).
    schemaFailure(validate.errors ?? [], doc, (path, expected, found) => fail(key, j, expected, found), scenarioWording);
  });
}
