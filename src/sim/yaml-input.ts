/**
 * YAML (or JSON) documents a user gives ctsim — compare's scenarios, lesson files —
 * parsed with positions kept, so that every error can name `file:line:col`, the key's
 * JSON path, what was expected and what was found (InputError: exit 3).
 *
 *   text ──YAML 1.2──▶ document (positions) ──JSON Schema (Ajv)──▶ data ──caller's rules──▶ …
 *
 * The schema's first error is put in the user's words by `schemaFailure`; a caller may
 * word some errors itself (`word`).
 */
import { LineCounter, parseDocument, isMap, isNode, isScalar } from 'yaml';
import ajvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InputError } from './input-error.js';

/** A path into a document: keys and list indexes. */
export type DocPath = (string | number)[];

/** Reports a problem at `path`: throws an InputError naming the file, line, column and path. */
export type Fail = (path: DocPath, expected: string, found: string, fix?: string) => never;

export interface YamlInput {
  /** The document as plain data (YAML's JSON-compatible subset). */
  data: unknown;
  /** `source:line:col` of the key (or value) at `path`; `source` alone when it is not in the text. */
  where: (path: DocPath) => string;
  fail: Fail;
}

/**
 * Parses a YAML 1.2 (or JSON) text; `source` names it in errors. Duplicate keys and
 * syntax errors are InputErrors at their line and column.
 */
export function parseYamlInput(text: string, source: string): YamlInput {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = lines.linePos(e.pos[0]);
    throw new InputError({ source: `${source}:${at.line}:${at.col}`, expected: 'valid YAML or JSON', found: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') });
  }
  // Aliases are resolved here: one to no anchor, or a chain of them that would blow up
  // (the "billion laughs"; the yaml library caps aliases at 100), fails as input.
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    throw new InputError({ source, expected: 'valid YAML or JSON', found: (e as Error).message.split('\n')[0] });
  }
  // Where a path is in the text: at its key when the last step is a key of a mapping.
  const where = (path: DocPath): string => {
    let node: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
    const last = path[path.length - 1];
    const parent = path.length > 0 ? doc.getIn(path.slice(0, -1), true) : null;
    if (typeof last === 'string' && isMap(parent)) {
      const pair = parent.items.find((it) => isScalar(it.key) && it.key.value === last);
      node = pair?.key ?? parent;
    }
    const range = isNode(node) ? node.range : undefined;
    if (!range) return source;
    const at = lines.linePos(range[0]);
    return `${source}:${at.line}:${at.col}`;
  };
  const fail: Fail = (path, expected, found, fix) => {
    throw new InputError({ source: where(path), path: jsonPath(path), expected, found, ...(fix ? { fix } : {}) });
  };
  return { data, where, fail };
}

/** `$.instances[1].cpuVirt`, as the VM configuration's errors name paths. */
export function jsonPath(path: DocPath): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('');
}

/** A value in words: `the string "x"`, `the number 3`, `a list`, `nothing`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v === 'string' ? 'the string' : `the ${typeof v}`} ${JSON.stringify(v)}`;
}

type AjvCtor = typeof ajvModule.default;
// ajv is CommonJS with `exports.default` (see runtime/oci/schema-validator.ts for the same dance).
const ajvAny: unknown = ajvModule;
const Ajv: AjvCtor = ((ajvAny as { default?: AjvCtor }).default ?? ajvAny) as AjvCtor;

/** Compiles a JSON Schema (draft 2020-12 or 07) with every error reported. */
export function compileSchema(schema: object): ValidateFunction {
  return new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
}

/**
 * A caller's own words for one schema error (a oneOf it knows, a pattern's meaning):
 * what was expected, or undefined to use the generic words.
 */
export type SchemaWording = (e: ErrorObject, path: DocPath, all: readonly ErrorObject[]) => { path?: DocPath; expected: string } | undefined;

/** The error's instance path as keys and indexes. */
export function schemaErrorPath(e: ErrorObject): DocPath {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The one schema error to report, in the user's words: an unknown key first, else the deepest. */
export function schemaFailure(errors: readonly ErrorObject[], data: unknown, fail: Fail, word?: SchemaWording): never {
  const valueAt = (path: DocPath): unknown => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], data);
  const extra = errors.find((e) => e.keyword === 'additionalProperties');
  if (extra) {
    const key = (extra.params as { additionalProperty: string }).additionalProperty;
    const allowed = Object.keys(((extra.parentSchema ?? {}) as { properties?: object }).properties ?? {});
    fail([...schemaErrorPath(extra), key], `one of the keys ${allowed.join(', ')}`, `the unknown key "${key}"`);
  }
  // oneOf/if-then noise comes with the real cause beside it: prefer the deepest specific error.
  const specific = errors.filter((e) => !['oneOf', 'if', 'anyOf'].includes(e.keyword));
  const e = [...(specific.length > 0 ? specific : errors)].sort((a, b) => schemaErrorPath(b).length - schemaErrorPath(a).length)[0];
  const path = schemaErrorPath(e);
  const found = describeValue(valueAt(path));
  const own = word?.(e, path, errors);
  if (own) return fail(own.path ?? path, own.expected, found);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return fail([...path, p.missingProperty as string], `the key "${p.missingProperty as string}"`, 'nothing');
    case 'enum':
      return fail(path, `one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`, found);
    case 'const':
      return fail(path, JSON.stringify(p.allowedValue), found);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
      return fail(path, `a number ${{ minimum: 'of at least', maximum: 'of at most', exclusiveMinimum: 'above' }[e.keyword]} ${p.limit as number}`, found);
    case 'minProperties':
    case 'minItems':
      return fail(path, `at least ${p.limit as number} ${e.keyword === 'minItems' ? 'item' : 'key'}${(p.limit as number) === 1 ? '' : 's'}`, found);
    case 'type':
      return fail(path, /^[aeiou]/.test(p.type as string) ? `an ${p.type as string}` : `a ${p.type as string}`, found);
    case 'pattern':
      return fail(path, `text matching ${p.pattern as string}`, found);
    default:
      return fail(path, e.message ?? 'something else', found);
  }
}
