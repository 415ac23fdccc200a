/**
 * JSON Schema validation of OCI documents against the official runtime-spec schemas
 * (draft-04), with Ajv + ajv-draft-04. Every schema file is registered under its file
 * name, which is how the files `$ref` each other ("defs.json#/definitions/uint64");
 * the three entry points are compiled once, on first use, and cached — or, in the
 * CLI's bundle, were compiled when it was built (precompiled-validators.ts).
 *
 * Ajv's errors are turned into `ConfigIssue`s: a JSON path like
 * `linux.namespaces[1].type`, a rule id `schema:<keyword>`, and a one-line message
 * saying what was expected and what was found. `anyOf`/`oneOf` noise is reduced to
 * the most specific branch error (see `pickHelpful`).
 */
import ajvDraft04 from 'ajv-draft-04';
import type { CodeOptions, ErrorObject, ValidateFunction } from 'ajv';
import { SCHEMA_FILES, readSchemaFile } from './schema-files.js';
import { describeValue, formatJsonPath, pointerToSegments, type ConfigIssue, type PathSegment } from './config-issue.js';
import { PRECOMPILED } from './precompiled-validators.js';

type AjvCtor = typeof ajvDraft04.default;
// ajv-draft-04 is CommonJS with `exports.default`: under Node's ESM loader the default
// import is the whole `module.exports`; under bundlers it may already be the class.
const ajvModule: unknown = ajvDraft04;
const Ajv04: AjvCtor = ((ajvModule as { default?: AjvCtor }).default ?? ajvModule) as AjvCtor;

/** The documents ctsim validates, by the schema (or sub-schema) that describes them. */
export type SchemaEntry = 'config' | 'state' | 'process';

export const ENTRY_REF: Readonly<Record<SchemaEntry, string>> = {
  config: 'config-schema.json',
  state: 'state-schema.json',
  process: 'config-schema.json#/properties/process',
};

/**
 * The Ajv that compiles the OCI schemas, every schema file registered. `code` is for
 * the build, which asks for the generated source (scripts/bundle.js); it does not change
 * what the validators do.
 */
export function ociAjv(code?: CodeOptions): InstanceType<AjvCtor> {
  // allErrors: report every problem at once; verbose: errors carry the offending
  // value (`data`) for "found …"; strict off: the official schemas use draft-04
  // idioms (`type` beside `$ref`) that Ajv's strict mode would log about.
  const ajv = new Ajv04({ allErrors: true, verbose: true, strict: false, logger: false, ...(code ? { code } : {}) });
  for (const name of SCHEMA_FILES) ajv.addSchema(readSchemaFile(name) as object, name);
  return ajv;
}

let validators: Map<SchemaEntry, ValidateFunction> | undefined;

function compiled(entry: SchemaEntry): ValidateFunction {
  if (PRECOMPILED) return PRECOMPILED[entry];
  if (!validators) {
    const ajv = ociAjv();
    validators = new Map();
    for (const [e, ref] of Object.entries(ENTRY_REF) as [SchemaEntry, string][]) {
      const fn = ajv.getSchema(ref);
      if (!fn) throw new Error(`runtime/oci: schema ${ref} did not compile`);
      validators.set(e, fn);
    }
  }
  return validators.get(entry)!;
}

/** Validates `doc` against one schema entry; [] when it conforms. */
export function schemaIssues(entry: SchemaEntry, doc: unknown): ConfigIssue[] {
  const validate = compiled(entry);
  if (validate(doc)) return [];
  return ajvErrorsToIssues(validate.errors ?? [], doc);
}

/** Converts Ajv's errors into one-line issues with JSON paths, most helpful first. */
export function ajvErrorsToIssues(errors: readonly ErrorObject[], doc: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const e of pickHelpful(errors)) {
    const issue = toIssue(e, doc);
    const key = `${issue.path}\0${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}

function depth(pointer: string): number {
  return pointer === '' ? 0 : pointer.split('/').length - 1;
}

function isUnder(pointer: string, base: string): boolean {
  return pointer === base || pointer.startsWith(`${base}/`);
}

/**
 * Drops combinator noise. A failed `anyOf`/`oneOf` is reported by Ajv as the errors of
 * every branch plus "must match a schema in anyOf"; the branch errors are more useful,
 * so the combinator error goes when any exist. Of those, a branch that got deeper into
 * the value matched its shape better, so `type` errors at the combinator's own level
 * (branches of another shape) go when a deeper error exists. Several remaining `type`
 * errors at one path are merged ("expected a string or an object").
 */
function pickHelpful(errors: readonly ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  for (const c of errors) {
    if (c.keyword !== 'anyOf' && c.keyword !== 'oneOf') continue;
    const branch = errors.filter((e) => e !== c && isUnder(e.instancePath, c.instancePath));
    // oneOf failing because several branches pass has no branch errors: keep it.
    if (branch.length === 0) continue;
    drop.add(c);
    const deepest = Math.max(...branch.map((e) => depth(e.instancePath)));
    if (deepest > depth(c.instancePath)) {
      for (const e of branch) if (e.keyword === 'type' && e.instancePath === c.instancePath) drop.add(e);
    }
  }
  const kept = errors.filter((e) => !drop.has(e));
  // Merge type errors that share a path.
  const merged: ErrorObject[] = [];
  const typeAt = new Map<string, ErrorObject>();
  for (const e of kept) {
    if (e.keyword !== 'type') {
      merged.push(e);
      continue;
    }
    const prev = typeAt.get(e.instancePath);
    if (!prev) {
      const copy = { ...e, params: { type: typeList(e.params.type) } };
      typeAt.set(e.instancePath, copy);
      merged.push(copy);
    } else {
      const types = prev.params.type as string[];
      for (const t of typeList(e.params.type)) if (!types.includes(t)) types.push(t);
    }
  }
  return merged;
}

function typeList(t: unknown): string[] {
  if (Array.isArray(t)) return t.map(String);
  return String(t).split(',');
}

/** JSON Schema type names in words, for "expected …" messages. */
export const TYPE_WORDS: Readonly<Record<string, string>> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  object: 'an object',
  array: 'an array',
  boolean: 'a boolean (true or false)',
  null: 'null',
};

/** Names for the integer bounds in defs.json, so "≤ 4294967295" reads "(uint32)". */
const BOUND_NAMES = new Map<number, string>([
  [127, 'int8'],
  [255, 'uint8'],
  [32767, 'int16'],
  [65535, 'uint16'],
  [2147483647, 'int32'],
  [4294967295, 'uint32'],
  // int64/uint64 maxima are 2^63-1 and 2^64-1, which parse to the doubles 2^63 and 2^64.
  [2 ** 63, 'int64'],
  [2 ** 64, 'uint64'],
]);

/** Extra words for the patterns in the official schemas. */
const PATTERN_HINTS: Readonly<Record<string, string>> = {
  '^[1-9][0-9]*[KMG]B$': 'a page size like "2MB" or "64KB" (KB, MB or GB, upper case)',
  '^RLIMIT_[A-Z]+$': 'a resource name like "RLIMIT_NOFILE"',
  '^[cbup]$': 'a device type: c, b, u or p',
  '^[0-9, -]*$': 'a CPU list like "0-3,7"',
  '^MB:[^\\n]*$': 'a memory bandwidth schema starting with "MB:"',
};

function toIssue(e: ErrorObject, doc: unknown): ConfigIssue {
  const segments: PathSegment[] = pointerToSegments(e.instancePath, doc);
  const found = describeValue(e.data);
  const rule = `schema:${e.keyword}`;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const prop = String(params.missingProperty);
      const parent = formatJsonPath(segments);
      const hint = REQUIRED_HINTS[`${parent}.${prop}`];
      const where = segments.length === 0 ? 'the top level' : parent;
      return {
        path: formatJsonPath([...segments, prop]),
        rule,
        message: `required property "${prop}" is missing (fix: add ${hint ?? `"${prop}"`} to ${where})`,
      };
    }
    case 'type': {
      const want = (params.type as string[]).map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      return { path: formatJsonPath(segments), rule, message: `expected ${want}, found ${found}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { path: formatJsonPath(segments), rule, message: `expected one of ${allowed}, found ${found}` };
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      const hint = PATTERN_HINTS[pattern];
      const want = hint ? `${hint}, matching /${pattern}/` : `a string matching /${pattern}/`;
      return { path: formatJsonPath(segments), rule, message: `expected ${want}, found ${found}` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const limit = Number(params.limit);
      const named = BOUND_NAMES.get(Math.abs(limit)) ?? (limit === 0 && e.keyword === 'minimum' ? 'unsigned' : undefined);
      const last = segments[segments.length - 1];
      const fix = last === 'timeout' ? ' (fix: a timeout is in seconds and must be > 0; remove it for none)' : '';
      const bound = `${params.comparison} ${formatBound(limit)}${named ? ` (${named})` : ''}`;
      return { path: formatJsonPath(segments), rule, message: `expected a value ${bound}, found ${found}${fix}` };
    }
    case 'minItems':
    case 'maxItems': {
      const n = Number(params.limit);
      const word = e.keyword === 'minItems' ? 'at least' : 'at most';
      return { path: formatJsonPath(segments), rule, message: `expected ${word} ${n} item${n === 1 ? '' : 's'}, found ${found}` };
    }
    case 'anyOf':
    case 'oneOf':
      return { path: formatJsonPath(segments), rule, message: `expected a value matching one of the allowed shapes, found ${found}` };
    default:
      return { path: formatJsonPath(segments), rule, message: `${e.message ?? 'is invalid'}, found ${found}` };
  }
}

function formatBound(n: number): string {
  // 2^63-1 and 2^64-1 are not representable; print what the schema says.
  if (n === 2 ** 63) return '9223372036854775807';
  if (n === -(2 ** 63)) return '-9223372036854775808';
  if (n === 2 ** 64) return '18446744073709551615';
  return String(n);
}

/** Suggested values for required properties (shown as the fix). */
const REQUIRED_HINTS: Readonly<Record<string, string>> = {
  '(root).ociVersion': '"ociVersion": "1.3.0"',
  'root.path': '"path": "rootfs"',
  'process.cwd': '"cwd": "/"',
  '(root).cwd': '"cwd": "/"',
  '(root).id': '"id"',
};
