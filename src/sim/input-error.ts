/**
 * Errors in what a user gave ctsim (a file, a flag, a JSON document) — not bugs and
 * not simulated failures. STYLE.md "Errors": name the file or flag, the path inside
 * it, what was expected and what was found, and a fix. Commands turn these into one
 * line on stderr and exit code 3 (invalid input) or 2 (usage).
 */
export interface InputErrorFacts {
  /** The file, flag or argument at fault, e.g. `fixtures/costs/x.json` or `--jobs`. */
  source: string;
  /** The path inside a document (`$.syscall.costNs`), or a line number, when known. */
  path?: string;
  /** What was expected, in words. */
  expected: string;
  /** What was found instead. */
  found?: string;
  /** How to fix it. */
  fix?: string;
}

export class InputError extends Error {
  readonly facts: InputErrorFacts;
  /** 3 for invalid input, 2 for misuse of flags or arguments. */
  readonly exitCode: 2 | 3;

  constructor(facts: InputErrorFacts, exitCode: 2 | 3 = 3) {
    super(formatInputError(facts));
    this.name = 'InputError';
    this.facts = facts;
    this.exitCode = exitCode;
  }
}

/** A usage error (bad flag value, missing argument): exit code 2. */
export class UsageError extends InputError {
  constructor(facts: InputErrorFacts) {
    super(facts, 2);
    this.name = 'UsageError';
  }
}

/** What the user gave, shortened when it is long (an argument that was a whole file's text). */
const MAX_SHOWN = 240;
function clip(s: string): string {
  return s.length <= MAX_SHOWN ? s : `${s.slice(0, MAX_SHOWN)}… (${s.length} characters)`;
}

/**
 * One line: `SOURCE[ at PATH]: expected X[, found Y][ (fix: Z)]`. A control character
 * that came from the input (a newline in a key) is shown escaped, as JSON would, so
 * that the error stays one line; a long source or found value is shortened.
 */
export function formatInputError(f: InputErrorFacts): string {
  let s = clip(f.source);
  if (f.path) s += ` at ${f.path}`;
  s += `: expected ${f.expected}`;
  if (f.found !== undefined) s += `, found ${clip(f.found)}`;
  if (f.fix) s += ` (fix: ${f.fix})`;
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}
