/**
 * Validation of the OCI documents a runtime reads: `config.json` (at `create`),
 * `process.json` (`runc exec -p`) and the state JSON (what `state` prints and hooks
 * read). Two layers, as in runc: the official JSON Schema (structure and types), then
 * the rules the schema cannot express (config-rules.ts, process-rules.ts).
 *
 * ```
 *   text ──parseConfigText──▶ doc ──schema──▶ OciConfig ──rules──▶ {config, errors, warnings}
 *          (line:column)              (JSON path)           (JSON path, runc wording)
 * ```
 *
 * Errors refuse the document; warnings accept it (fields ctsim does not model, runc's
 * deprecation warnings). The spec says unknown properties must be ignored, so they
 * are warnings, not errors.
 */
import { findJsonSyntaxError } from './json-syntax.js';
import { schemaIssues } from './schema-validator.js';
import { checkConfig, platformIssues, type ConfigRuleOptions } from './config-rules.js';
import { checkProcess, isAbsolutePath } from './process-rules.js';
import { isPlainObject, ROOT_PATH, type ConfigIssue } from './config-issue.js';
import type { OciConfig, OciProcess, OciState } from './types.js';

/** The result of validating a config.json. */
export interface ConfigValidation {
  /** The file the document came from, for `formatConfigIssue`. */
  file: string;
  /** The config, typed; trustworthy only when `errors` is empty. */
  config: OciConfig;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** The result of parsing JSON text: the value, or one `json:syntax` issue whose path is `LINE:COLUMN`. */
export type ParsedJson = { doc: unknown } | { error: ConfigIssue };

/**
 * Parses JSON text, reporting a syntax error as one issue whose path is `LINE:COLUMN`
 * (1-based), e.g. `config.json: 1:2: invalid JSON: expected a property name in double
 * quotes or '}', found "]"`. `file` is not read; it is only the name used in messages.
 */
export function parseConfigText(text: string, file: string): ParsedJson {
  void file;
  try {
    return { doc: JSON.parse(text) as unknown };
  } catch {
    const e = findJsonSyntaxError(text);
    const where = e ? `${e.line}:${e.column}` : ROOT_PATH;
    const message = `invalid JSON: ${e ? e.message : 'the text is not valid JSON'}`;
    return { error: { path: where, rule: 'json:syntax', message } };
  }
}

/**
 * Validates a parsed config.json: the schema, the unsupported-platform check, then
 * (when the schema passed) the runtime rules. `file` names the document in the
 * result so that callers can print `formatConfigIssue(file, issue)`.
 */
export function validateConfig(doc: unknown, file: string, opts: ConfigRuleOptions = {}): ConfigValidation {
  const config = doc as OciConfig;
  if (doc === null) {
    // runc: "config cannot be null" (json.Decode into a pointer leaves it nil).
    return { file, config, errors: [{ path: ROOT_PATH, rule: 'oci:config-null', message: 'config cannot be null (fix: an object with at least "ociVersion" and "root")' }], warnings: [] };
  }
  const errors = schemaIssues('config', doc);
  errors.push(...platformIssues(doc));
  if (errors.length > 0) return { file, config, errors, warnings: [] };
  const found = checkConfig(config, opts);
  return { file, config, errors: found.errors, warnings: found.warnings };
}

/** Parses and validates config.json text in one step. */
export function loadConfigText(text: string, file: string, opts: ConfigRuleOptions = {}): ConfigValidation {
  const parsed = parseConfigText(text, file);
  if ('error' in parsed) return { file, config: null as unknown as OciConfig, errors: [parsed.error], warnings: [] };
  return validateConfig(parsed.doc, file, opts);
}

/**
 * What `start` (and, in runc, already `create`/`run`, through loadSpec's
 * validateProcessSpec) requires beyond a valid config: a `process` to run.
 */
export function checkStartable(config: OciConfig): ConfigIssue[] {
  if (config.process === undefined) {
    return [{ path: 'process', rule: 'oci:process-required', message: 'process property must not be empty (fix: "process": {"args": ["sh"], "cwd": "/"})' }];
  }
  return [];
}

/** The result of validating a `runc exec -p` process.json. */
export interface ProcessValidation {
  process: OciProcess;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/**
 * Validates a process.json (the shape of config.json's `process`, checked against that
 * sub-schema and the same rules). Paths are relative to the process object (`cwd`).
 */
export function validateProcess(doc: unknown): ProcessValidation {
  const process = doc as OciProcess;
  const errors = schemaIssues('process', doc);
  if (errors.length > 0) return { process, errors, warnings: [] };
  const found = checkProcess(process, []);
  return { process, errors: found.errors, warnings: found.warnings };
}

/** The result of validating a state document. */
export interface StateValidation {
  state: OciState;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/**
 * Validates a state document against state-schema.json plus the Linux rules of
 * runtime.md "State". runc's extra status `paused` is not in the schema's enum: a
 * paused container still has its init process (frozen), so a paused state is checked
 * as if it were `running`. runc's extra fields (rootfs, created, owner) are allowed,
 * as the schema allows additional properties.
 */
export function validateState(doc: unknown): StateValidation {
  const state = doc as OciState;
  const paused = isPlainObject(doc) && doc.status === 'paused';
  const errors = schemaIssues('state', paused ? { ...(doc as object), status: 'running' } : doc);
  if (errors.length > 0) return { state, errors, warnings: [] };
  if ((state.status === 'created' || state.status === 'running' || state.status === 'paused') && state.pid === undefined) {
    errors.push({ path: 'pid', rule: 'oci:state-pid-required', message: `expected the init process's pid (required on Linux when the status is ${state.status}), found nothing` });
  }
  if (!isAbsolutePath(state.bundle)) {
    errors.push({ path: 'bundle', rule: 'oci:state-bundle-absolute', message: `expected an absolute path to the bundle, found ${JSON.stringify(state.bundle)}` });
  }
  return { state, errors, warnings: [] };
}
