/**
 * One problem found in an OCI document (config.json, state JSON, process.json), and
 * the JSON path notation used to point at it. STYLE.md "Errors": each message names
 * what was expected, what was found, and a fix where one is obvious.
 */

/** One validation finding: an error (refuse the document) or a warning (accept it). */
export interface ConfigIssue {
  /** Where in the document, e.g. `linux.namespaces[1].type`; `(root)` for the top. */
  path: string;
  /** Short rule id: `schema:<ajv keyword>` or `oci:<rule>`, e.g. `oci:cwd-absolute`. */
  rule: string;
  /** One line: what was expected, what was found, and a fix where sensible. */
  message: string;
}

/** The path of the document itself. */
export const ROOT_PATH = '(root)';

/** `FILE: PATH: MESSAGE` — one line per issue, the form the CLI prints. */
export function formatConfigIssue(file: string, issue: ConfigIssue): string {
  return `${file}: ${issue.path}: ${issue.message}`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** One step of a JSON path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * Renders path segments as `a.b[2].c`; keys that are not identifiers are quoted
 * (`linux.sysctl["net.ipv4.ip_forward"]`). An empty path is `(root)`.
 */
export function formatJsonPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out === '' ? ROOT_PATH : out;
}

/**
 * Converts an RFC 6901 JSON Pointer (Ajv's `instancePath`, e.g. `/linux/namespaces/1`)
 * into segments, using the document to tell array indices from object keys that
 * happen to be digits (an `rdma` map may have a key `"0"`).
 */
export function pointerToSegments(pointer: string, doc: unknown): PathSegment[] {
  if (pointer === '') return [];
  const raw = pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const out: PathSegment[] = [];
  let node: unknown = doc;
  for (const key of raw) {
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(key)) {
      const i = Number(key);
      out.push(i);
      node = node[i];
    } else {
      out.push(key);
      node = isPlainObject(node) ? node[key] : undefined;
    }
  }
  return out;
}

/** True for a JSON object (not null, not an array). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short rendering of a JSON value for "found …" in messages (at most ~60 chars). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty array' : `an array (${truncate(JSON.stringify(v))})`;
  if (typeof v === 'object') return `an object (${truncate(JSON.stringify(v))})`;
  if (typeof v === 'string') return `the string ${truncate(JSON.stringify(v))}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `the integer ${v}` : `the number ${v}`;
  return `${typeof v} ${String(v)}`;
}

function truncate(s: string, max = 60): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Errors and warnings collected by the rule checks, in the order found. */
export class Findings {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];

  error(path: string, rule: string, message: string): void {
    this.errors.push({ path, rule, message });
  }

  warn(path: string, rule: string, message: string): void {
    this.warnings.push({ path, rule, message });
  }

  /** Appends another set of findings. */
  merge(other: { errors: readonly ConfigIssue[]; warnings: readonly ConfigIssue[] }): void {
    this.errors.push(...other.errors);
    this.warnings.push(...other.warnings);
  }
}

/** `base` + one more step, rendered: `joinPath('linux', 'namespaces', 1)` → `linux.namespaces[1]`. */
export function joinPath(...segments: PathSegment[]): string {
  return formatJsonPath(segments);
}
