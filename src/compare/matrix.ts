/**
 * The matrix of a scenario: `--param KEY=v1,v2,…` flags read into matrix keys (checked,
 * with the file's own keys, by parseScenario), and the expansion of a matrix into its
 * variants — every combination, each a labelled copy of the scenario.
 *
 *   file matrix + --param ──parseScenario──▶ Scenario.matrix ──expandMatrix──▶ variants
 */
import { UsageError } from '../sim/input-error.js';
import { parseSize, type Scenario, type Variant } from './scenario.js';

/** A matrix key and its values as `--param KEY=v1,v2,…` gives them. */
export interface MatrixParam {
  key: string;
  values: (string | number | boolean)[];
}

/** The schema's rule for a matrix key's shape (fixtures/scenarios/scenario.schema.json, matrix.propertyNames). */
const MATRIX_KEY = /^[A-Za-z0-9_.-]+\.[A-Za-z]+$/;

/**
 * Reads one `--param KEY=v1,v2,…`: a matrix key (INSTANCE.FIELD, KIND.FIELD or
 * host.NAME.FIELD) and its values, which become numbers or booleans where they look
 * like them (`2`, `0.5`, `true`), else strings (`256MiB`, `bt`). A malformed flag is
 * a usage error (exit 2); whether the key names something is parseScenario's to say.
 */
export function parseParamFlag(flag: string): MatrixParam {
  const eq = flag.indexOf('=');
  const key = eq === -1 ? flag : flag.slice(0, eq);
  const values = eq === -1 ? [] : flag.slice(eq + 1).split(',').map((v) => v.trim());
  const bad = (found: string): never => {
    throw new UsageError({ source: '--param', expected: 'KEY=v1,v2,… with a key INSTANCE.FIELD, KIND.FIELD or host.NAME.FIELD and one or more values', found, fix: 'e.g. --param vm.cpuVirt=bt,pv,hw' });
  };
  if (eq === -1) bad(`${JSON.stringify(flag)} (no "=")`);
  if (!MATRIX_KEY.test(key)) bad(`the key ${JSON.stringify(key)}`);
  if (values.some((v) => v === '')) bad(`an empty value in ${JSON.stringify(flag)}`);
  const dup = values.find((v, i) => values.indexOf(v) !== i);
  if (dup !== undefined) bad(`the value ${JSON.stringify(dup)} twice in ${JSON.stringify(flag)} (two variants with one label)`);
  return { key, values: values.map((v) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v)) };
}

/** Every combination of the matrix's values, in the file's order (the last key varies fastest). */
export function expandMatrix(s: Scenario): Variant[] {
  let combos: { key: string; value: string | number | boolean }[][] = [[]];
  for (const m of s.matrix) combos = combos.flatMap((c) => m.values.map((value) => [...c, { key: m.key, value }]));
  return combos.map((c) => ({ label: c.map((x) => `${x.key}=${String(x.value)}`).join(' ') || s.name, scenario: apply(s, c) }));
}

function apply(s: Scenario, settings: { key: string; value: string | number | boolean }[]): Scenario {
  const out: Scenario = { ...s, hosts: s.hosts.map((h) => ({ ...h })), instances: s.instances.map((x) => ({ ...x, settings: { ...x.settings } })) };
  for (const { key, value } of settings) {
    const dot = key.lastIndexOf('.');
    const target = key.slice(0, dot);
    const field = key.slice(dot + 1);
    if (target.startsWith('host.')) {
      const h = out.hosts.find((x) => x.name === target.slice(5))!;
      (h as unknown as Record<string, unknown>)[field === 'memory' ? 'memoryBytes' : field] = field === 'memory' ? parseSize(value) : value;
      continue;
    }
    for (const x of out.instances) {
      if (x.name !== target && x.kind !== target) continue;
      if (field === 'count') x.count = Number(value);
      else x.settings[field] = field === 'memory' || field === 'disk' ? parseSize(value) : value;
    }
  }
  return out;
}
