/**
 * Reading the files that flags name (--costs, --table, --trace-file): a missing or
 * unreadable file, or a JSON file that does not parse, is an InputError naming the
 * file, what was expected and a fix (exit 3, one line).
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../sim/index.js';

/** The text of `path`; `what` says what it should be ("a readable trace file"), `flag` which flag named it. */
export function readInputFile(path: string, flag: string, what: string): string {
  return readInputBytes(path, flag, what).toString('utf8');
}

/** The bytes of `path`, for a reader that scans them without decoding text; errors as readInputFile's. */
export function readInputBytes(path: string, flag: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputError({ source: path, expected: what, found: (e as NodeJS.ErrnoException).code ?? String(e), fix: `check the path given to ${flag}` });
  }
}

/** The parsed JSON of `path`; `formatFix` says where the format is described. */
export function readJsonFile(path: string, flag: string, what: string, formatFix: string): unknown {
  const text = readInputFile(path, flag, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError({ source: path, expected: 'valid JSON', found: (e as Error).message, fix: formatFix });
  }
}
