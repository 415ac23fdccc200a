/**
 * sort(1), GNU coreutils 9.1: sort lines of text files. Keys (-k F[.C][OPTS][,F[.C][OPTS]],
 * -t SEP), orderings (-n -g -h -M -V -R -d -f -i -b, -r), -u, -s, -c/-C, -m, -o FILE
 * (written only after all input is read, so `sort -o f f` works), -z. Without a key
 * the whole line is compared; lines that compare equal fall back to a byte comparison
 * of the whole line unless -s or -u. The simulated system runs in the C locale, so
 * text compares byte by byte.
 *
 * Accepted and ignored: -S, -T, --parallel, --batch-size, --compress-program, -y.
 * Simplification: -R hashes keys with a salt from getrandom(2) instead of MD5.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut, readAll } from '../../lib/io.js';
import { Heap, touch } from '../../lib/mem.js';
import { quote, quoteShell, quoteShellAlways } from '../../lib/gnu-quote.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { splitLines } from '../../lib/line-source.js';
import { O_CREAT, O_RDONLY, O_WRONLY, R_OK } from '../../../kernel/vfs/types.js';
import { parseOptions, HELP_VERSION, helpOrVersion, coreutilsVersion, usageError, parseSize, type Gen } from './cli.js';
import { compareKeyText, isDefaultKey, keyOptionLetters, keySpan, newKey, setOrdering, transformKey, type SortKey } from './sort-compare.js';

/** Bytes of GNU sort's `struct line` kept per input line (four pointers/lengths on x86-64). */
const SORT_LINE_RECORD = 32;

/** User time per comparison (n·log2 n of them) and per input byte. Design choices, not measurements. */
const SORT_NS_PER_COMPARE = 20;
const SORT_NS_PER_BYTE = 1;
/** sort's exit status for errors (SORT_FAILURE); 1 means "not sorted" for -c. */
const SORT_FAILURE = 2;

class SortError {
  constructor(readonly message: string) {}
}

/** `-k` text → key, with coreutils' messages for bad specifications. */
function parseKeySpec(spec: string): SortKey {
  const k = newKey();
  const bad = (why: string): SortError => new SortError(`${why}: invalid field specification ${quote(spec)}`);
  let i = 0;
  const count = (what: string): number => {
    const m = /^\d+/.exec(spec.slice(i));
    if (!m) throw new SortError(`${what}: invalid count at start of ${quote(spec.slice(i))}`);
    i += m[0].length;
    const n = Number(m[0]);
    return n > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : n;
  };
  const startField = count('invalid number at field start');
  if (startField === 0) throw bad('field number is zero');
  k.startField = startField - 1;
  if (spec[i] === '.') {
    i++;
    const startChar = count("invalid number after '.'");
    if (startChar === 0) throw bad('character offset is zero');
    k.startChar = startChar - 1;
  }
  if (k.startField === 0 && k.startChar === 0) k.startField = -1;
  i = setOrdering(spec, i, k, 'start');
  if (spec[i] === ',') {
    i++;
    const endField = count("invalid number after ','");
    if (endField === 0) throw bad('field number is zero');
    k.endField = endField - 1;
    if (spec[i] === '.') {
      i++;
      k.endChar = count("invalid number after '.'");
    }
    i = setOrdering(spec, i, k, 'end');
  }
  if (i < spec.length) throw bad('stray character in field spec');
  return k;
}

const SORT_WORDS: Record<string, string> = { 'general-numeric': 'g', 'human-numeric': 'h', month: 'M', numeric: 'n', random: 'R', version: 'V' };

/** XARGMATCH: the exact or unique-prefix match of `v` among `words`, or null. */
function argMatch(v: string, words: string[]): string | null {
  if (words.includes(v)) return v;
  const m = words.filter((w) => w.startsWith(v));
  return m.length === 1 ? m[0] : null;
}

/** A line prepared for comparison: its text (without terminator) and each key's text, transformed. */
interface Item {
  text: string;
  keys: string[];
}

interface Config {
  keys: SortKey[];
  tab: string | null;
  reverse: boolean;
  unique: boolean;
  stable: boolean;
  hash: (s: string) => string;
}

function prepare(text: string, c: Config): Item {
  return {
    text,
    keys: c.keys.map((k) => {
      const [b, e] = keySpan(text, k, c.tab);
      return transformKey(text.slice(b, e), k);
    }),
  };
}

/** Compares two lines: keys in order, then (unless -s or -u) the whole line. */
function compareItems(a: Item, b: Item, c: Config): number {
  for (let i = 0; i < c.keys.length; i++) {
    const k = c.keys[i];
    let d = compareKeyText(a.keys[i], b.keys[i], k, c.hash);
    if (d) {
      d = d < 0 ? -1 : 1;
      return k.reverse ? -d : d;
    }
  }
  if (c.keys.length > 0 && (c.unique || c.stable)) return 0;
  const d = a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  return c.reverse ? -d : d;
}

export function* sortMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  const opts = yield* parseOptions(
    prog,
    argv,
    [
      { short: 'b', long: 'ignore-leading-blanks', key: 'b' },
      { short: 'd', long: 'dictionary-order', key: 'd' },
      { short: 'f', long: 'ignore-case', key: 'f' },
      { short: 'g', long: 'general-numeric-sort', key: 'g' },
      { short: 'h', long: 'human-numeric-sort', key: 'h' },
      { short: 'i', long: 'ignore-nonprinting', key: 'i' },
      { short: 'M', long: 'month-sort', key: 'M' },
      { short: 'n', long: 'numeric-sort', key: 'n' },
      { short: 'R', long: 'random-sort', key: 'R' },
      { short: 'r', long: 'reverse', key: 'r' },
      { short: 'V', long: 'version-sort', key: 'V' },
      { long: 'sort', arg: 'required', key: 'sort' },
      { long: 'random-source', arg: 'required', key: 'random-source' },
      { short: 'c', key: 'c' },
      { short: 'C', key: 'C' },
      { long: 'check', arg: 'optional', key: 'check' },
      { short: 'k', long: 'key', arg: 'required', key: 'k' },
      { short: 'm', long: 'merge', key: 'm' },
      { short: 'o', long: 'output', arg: 'required', key: 'o' },
      { short: 's', long: 'stable', key: 's' },
      { short: 'S', long: 'buffer-size', arg: 'required', key: 'S' },
      { short: 't', long: 'field-separator', arg: 'required', key: 't' },
      { short: 'T', long: 'temporary-directory', arg: 'required', key: 'T' },
      { short: 'u', long: 'unique', key: 'u' },
      { short: 'y', arg: 'required', key: 'y' },
      { short: 'z', long: 'zero-terminated', key: 'z' },
      { long: 'parallel', arg: 'required', key: 'parallel' },
      { long: 'batch-size', arg: 'required', key: 'batch-size' },
      { long: 'compress-program', arg: 'required', key: 'compress-program' },
      { long: 'files0-from', arg: 'required', key: 'files0-from' },
      { long: 'debug', key: 'debug' },
      ...HELP_VERSION,
    ],
    SORT_FAILURE,
  );
  if (typeof opts === 'number') return opts;
  const hv = yield* helpOrVersion(opts, sortHelp(prog), coreutilsVersion('sort', 'Written by Mike Haertel and Paul Eggert.'));
  if (hv !== null) return hv;

  const fail = function* (message: string): Gen<number> {
    yield* errOut(`${prog}: ${message}\n`);
    return SORT_FAILURE;
  };
  const gkey = newKey();
  const keys: SortKey[] = [];
  let tab: string | null = null;
  let check: 'c' | 'C' | null = null;
  let outfile: string | null = null;
  let filesFrom: string | null = null;
  const v = opts.values;
  try {
    for (const [k, val] of opts.list) {
      const arg = val as string;
      switch (k) {
        case 'sort': {
          const w = argMatch(arg, Object.keys(SORT_WORDS));
          if (!w) {
            yield* errOut(
              `${prog}: invalid argument ${quote(arg)} for '--sort'\nValid arguments are:\n` +
                Object.keys(SORT_WORDS).map((x) => `  - '${x}'\n`).join(''),
            );
            return yield* usageError(prog, null);
          }
          setOrdering(SORT_WORDS[w], 0, gkey, 'both');
          break;
        }
        case 'b':
        case 'd':
        case 'f':
        case 'g':
        case 'h':
        case 'i':
        case 'M':
        case 'n':
        case 'r':
        case 'R':
        case 'V':
          setOrdering(k, 0, gkey, 'both');
          break;
        case 'check':
        case 'c':
        case 'C': {
          let c: 'c' | 'C' = k === 'C' ? 'C' : 'c';
          if (k === 'check' && val !== true) {
            const w = argMatch(arg, ['quiet', 'silent', 'diagnose-first']);
            if (!w) {
              yield* errOut(`${prog}: invalid argument ${quote(arg)} for '--check'\nValid arguments are:\n  - 'quiet', 'silent'\n  - 'diagnose-first'\n`);
              return yield* usageError(prog, null);
            }
            c = w === 'diagnose-first' ? 'c' : 'C';
          }
          if (check && check !== c) throw new SortError("options '-cC' are incompatible");
          check = c;
          break;
        }
        case 'k':
          keys.push(parseKeySpec(arg));
          break;
        case 'o':
          if (outfile !== null && outfile !== arg) throw new SortError('multiple output files specified');
          outfile = arg;
          break;
        case 't': {
          let t = arg;
          if (t === '') throw new SortError('empty tab');
          if (t.length > 1) {
            if (t === '\\0') t = '\0';
            else throw new SortError(`multi-character tab ${quote(arg)}`);
          }
          if (tab !== null && tab !== t) throw new SortError('incompatible tabs');
          tab = t;
          break;
        }
        case 'S': {
          const n = parseSize(arg.replace(/%$/, ''));
          if (typeof n !== 'number') throw new SortError(`invalid -S argument ${quote(arg)}`);
          break;
        }
        case 'files0-from':
          filesFrom = arg;
          break;
      }
    }
  } catch (e) {
    if (e instanceof SortError) return yield* fail(e.message);
    throw e;
  }
  // Keys without ordering options of their own inherit the global ones.
  for (const k of keys) {
    if (isDefaultKey(k) && !k.reverse) {
      Object.assign(k, { ...gkey, startField: k.startField, startChar: k.startChar, endField: k.endField, endChar: k.endChar });
    }
  }
  if (keys.length === 0 && !isDefaultKey(gkey)) keys.push(gkey);
  for (const k of keys) {
    const n = Number(k.numeric) + Number(k.generalNumeric) + Number(k.humanNumeric) + Number(k.month) + Number(k.version || k.random || !!k.ignore);
    if (n > 1) return yield* fail(`options '-${keyOptionLetters({ ...k, startBlanks: false, endBlanks: false, reverse: false })}' are incompatible`);
  }
  const eol = v.has('z') ? '\0' : '\n';
  let files = opts.operands;
  if (filesFrom !== null) {
    if (files.length > 0) {
      yield* errOut(`${prog}: extra operand ${quoteShell(files[0])}\nfile operands cannot be combined with --files0-from\n`);
      return yield* usageError(prog, null, SORT_FAILURE);
    }
    const data = filesFrom === '-' ? yield* readAll(0) : yield* readFileOrError(filesFrom);
    if (data instanceof SysError) return yield* fail(`cannot read file names from ${quoteShell(filesFrom)}: ${data.message}`);
    files = data.split('\0').filter((x, i, a) => !(x === '' && i === a.length - 1));
    if (files.length === 0) return yield* fail(`no input from ${quoteShell(filesFrom)}`);
  }
  if (files.length === 0) files = ['-'];

  let salt = '';
  if (keys.some((k) => k.random)) {
    const r = yield* sys.getrandom(16);
    salt = r instanceof SysError ? '' : r;
  }
  const config: Config = {
    keys,
    tab,
    reverse: gkey.reverse,
    unique: v.has('u'),
    stable: v.has('s'),
    hash: (s) => fnv1a(salt + s),
  };

  if (check) {
    if (files.length > 1) return yield* fail(`extra operand ${quoteShellAlways(files[1])} not allowed with -${check}`);
    if (outfile !== null) return yield* fail(`options '-${check}o' are incompatible`);
    const data = yield* readInput(files[0]);
    if (data instanceof SysError) return yield* fail(`read failed: ${quoteShell(files[0])}: ${data.message}`);
    const lines = splitTerminated(data, eol);
    yield data.length * SORT_NS_PER_BYTE + lines.length * SORT_NS_PER_COMPARE;
    let prev: Item | null = null;
    for (let i = 0; i < lines.length; i++) {
      const cur = prepare(lines[i], config);
      if (prev) {
        const d = compareItems(prev, cur, config);
        if (config.unique ? d >= 0 : d > 0) {
          if (check === 'c') yield* errOut(`${prog}: ${files[0]}:${i + 1}: disorder: ${lines[i]}\n`);
          return 1;
        }
      }
      prev = cur;
    }
    return 0;
  }

  // Every input must be readable before anything is sorted (coreutils' check_inputs).
  for (const f of files) {
    if (f === '-') continue;
    const r = yield* sys.access(f, R_OK);
    if (r instanceof SysError) return yield* fail(`cannot read: ${quoteShell(f)}: ${r.message}`);
  }
  let outFd = 1;
  if (outfile !== null) {
    const fd = yield* sys.open(outfile, O_WRONLY | O_CREAT, 0o666);
    if (fd instanceof SysError) return yield* fail(`open failed: ${quoteShell(outfile)}: ${fd.message}`);
    outFd = fd;
  }

  const inputs: string[][] = [];
  let bytes = 0;
  const heap = new Heap();
  for (const f of files) {
    const data = yield* readInput(f);
    if (data instanceof SysError) return yield* fail(`read failed: ${quoteShell(f)}: ${data.message}`);
    bytes += data.length;
    const lines = splitTerminated(data, eol);
    inputs.push(lines);
    // GNU sort holds every line in its buffer with a line record beside it: that
    // memory is the process's (Simplification: no spill to temporary files).
    if (!v.has('m') && data.length > 0) {
      const size = data.length + SORT_LINE_RECORD * lines.length;
      const p = yield* heap.alloc(size);
      if (!(p instanceof SysError)) yield* touch(p, size, true);
    }
  }
  let items: Item[];
  if (v.has('m')) {
    items = mergeSorted(inputs.map((ls) => ls.map((l) => prepare(l, config))), config);
  } else {
    items = inputs.flat().map((l) => prepare(l, config));
    items.sort((a, b) => compareItems(a, b, config));
  }
  const n = items.length;
  yield bytes * SORT_NS_PER_BYTE + (n > 1 ? Math.round(n * Math.log2(n) * SORT_NS_PER_COMPARE) : 0);
  if (outFd !== 1) {
    const t = yield* sys.ftruncate(outFd, 0);
    if (t instanceof SysError) return yield* fail(`write failed: ${quoteShell(outfile!)}: ${t.message}`);
  }
  const out = new OutBuffer(outFd);
  let prev: Item | null = null;
  for (const it of items) {
    if (config.unique && prev && compareItems(prev, it, config) === 0) continue;
    prev = it;
    yield* out.write(it.text + eol);
  }
  const e = yield* out.flush();
  if (e) return yield* fail(`write failed: ${outfile === null ? 'standard output' : quoteShell(outfile)}: ${e.message}`);
  if (outFd !== 1) yield* sys.close(outFd);
  return 0;
}

/** Lines of `data` without their terminators (a last line without one counts). */
function splitTerminated(data: string, eol: string): string[] {
  if (data === '') return [];
  const text = data.endsWith(eol) ? data : data + eol;
  return splitLines(text, eol).map((l) => l.slice(0, -1));
}

function* readInput(f: string): Gen<string | SysError> {
  if (f === '-') return yield* readAll(0);
  return yield* readFileOrError(f);
}

function* readFileOrError(f: string): Gen<string | SysError> {
  const fd = yield* sys.open(f, O_RDONLY);
  if (fd instanceof SysError) return fd;
  const data = yield* readAll(fd);
  yield* sys.close(fd);
  return data;
}

/** sort -m: merges already sorted inputs, taking from the earliest input on ties. */
function mergeSorted(inputs: Item[][], c: Config): Item[] {
  const pos = inputs.map(() => 0);
  const out: Item[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < inputs.length; i++) {
      if (pos[i] >= inputs[i].length) continue;
      if (best < 0 || compareItems(inputs[i][pos[i]], inputs[best][pos[best]], c) < 0) best = i;
    }
    if (best < 0) return out;
    out.push(inputs[best][pos[best]++]);
  }
}

/** A 64-bit FNV-1a hash as 16 hex digits (the order of -R). */
function fnv1a(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i) & 0xff);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

function sortHelp(prog: string): string {
  return (
    `Usage: ${prog} [OPTION]... [FILE]...\n  or:  ${prog} [OPTION]... --files0-from=F\n` +
    'Write sorted concatenation of all FILE(s) to standard output.\n\nWith no FILE, or when FILE is -, read standard input.\n\n' +
    'Mandatory arguments to long options are mandatory for short options too.\nOrdering options:\n\n' +
    '  -b, --ignore-leading-blanks  ignore leading blanks\n' +
    '  -d, --dictionary-order      consider only blanks and alphanumeric characters\n' +
    '  -f, --ignore-case           fold lower case to upper case characters\n' +
    '  -g, --general-numeric-sort  compare according to general numerical value\n' +
    '  -i, --ignore-nonprinting    consider only printable characters\n' +
    "  -M, --month-sort            compare (unknown) < 'JAN' < ... < 'DEC'\n" +
    '  -h, --human-numeric-sort    compare human readable numbers (e.g., 2K 1G)\n' +
    '  -n, --numeric-sort          compare according to string numerical value\n' +
    '  -R, --random-sort           shuffle, but group identical keys\n' +
    '  -r, --reverse               reverse the result of comparisons\n' +
    '      --sort=WORD             sort according to WORD:\n                                general-numeric -g, human-numeric -h, month -M,\n                                numeric -n, random -R, version -V\n' +
    '  -V, --version-sort          natural sort of (version) numbers within text\n\n' +
    'Other options:\n\n' +
    '  -c, --check, --check=diagnose-first  check for sorted input; do not sort\n' +
    '  -C, --check=quiet, --check=silent  like -c, but do not report first bad line\n' +
    '      --files0-from=F       read input from the files specified by\n                            NUL-terminated names in file F\n' +
    '  -k, --key=KEYDEF          sort via a key; KEYDEF gives location and type\n' +
    '  -m, --merge               merge already sorted files; do not sort\n' +
    '  -o, --output=FILE         write result to FILE instead of standard output\n' +
    '  -s, --stable              stabilize sort by disabling last-resort comparison\n' +
    '  -t, --field-separator=SEP  use SEP instead of non-blank to blank transition\n' +
    '  -u, --unique              output only the first of an equal run\n' +
    '  -z, --zero-terminated     line delimiter is NUL, not newline\n' +
    '      --help        display this help and exit\n      --version     output version information and exit\n\n' +
    'KEYDEF is F[.C][OPTS][,F[.C][OPTS]] for start and stop position, where F is a\nfield number and C a character position in the field; both are origin 1, and\nthe stop position defaults to the line\'s end.  OPTS is one or more single-letter\nordering options [bdfgiMhnRrV], which override global ordering options for that key.\n'
  );
}
