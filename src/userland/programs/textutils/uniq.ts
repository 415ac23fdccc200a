/**
 * uniq(1), GNU coreutils 9.1: collapse adjacent equal lines of INPUT (or standard
 * input) to OUTPUT (or standard output). -c prefixes counts, -d prints only repeated
 * lines, -u only unique ones, -D (--all-repeated[=none|prepend|separate]) every line of
 * a repeated group, --group[=separate|prepend|append|both] every group; comparison
 * skips -f fields and -s characters, looks at no more than -w characters, and -i
 * ignores ASCII case. -z uses NUL as the line end.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut } from '../../lib/io.js';
import { quote, quoteShell } from '../../lib/gnu-quote.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { LineSource } from '../../lib/line-source.js';
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from '../../../kernel/vfs/types.js';
import { parseOptions, HELP_VERSION, helpOrVersion, coreutilsVersion, usageError } from './cli.js';

/** User time per input byte and per line compared. Design choices, not measurements. */
const UNIQ_NS_PER_BYTE = 1;
const UNIQ_NS_PER_LINE = 30;

interface UniqSpec {
  skipFields: number;
  skipChars: number;
  checkChars: number;
  icase: boolean;
}

/** The part of a line uniq compares. */
export function comparedPart(line: string, s: UniqSpec): string {
  let i = 0;
  for (let f = 0; f < s.skipFields && i < line.length; f++) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') i++;
  }
  i = Math.min(line.length, i + s.skipChars);
  let part = line.slice(i, s.checkChars === Infinity ? undefined : i + s.checkChars);
  if (s.icase) part = part.replace(/[a-z]/g, (c) => c.toUpperCase());
  return part;
}

/** Parses a -f/-s/-w count; huge values saturate as coreutils' size_t does. */
function parseCount(v: string): number | null {
  if (!/^\d+$/.test(v)) return null;
  const n = Number(v);
  return n > Number.MAX_SAFE_INTEGER ? Infinity : n;
}

const ALL_REPEATED = ['none', 'prepend', 'separate'];
const GROUP = ['prepend', 'append', 'separate', 'both'];

function argMatch(v: string, words: string[]): string | null {
  if (words.includes(v)) return v;
  const m = words.filter((w) => w.startsWith(v));
  return m.length === 1 ? m[0] : null;
}

export function* uniqMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  // Obsolete forms: -N skips N fields, +N skips N characters.
  const args = [argv[0]];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const prev = argv[i - 1];
    const takesArg = i > 1 && (/^-[^-]*[fsw]$/.test(prev) || /^--(skip-fields|skip-chars|check-chars)$/.test(prev));
    if (takesArg) args.push(a);
    else if (/^-\d+$/.test(a)) args.push('-f', a.slice(1));
    else if (/^\+\d+$/.test(a)) args.push('-s', a.slice(1));
    else args.push(a);
  }
  const opts = yield* parseOptions(prog, args, [
    { short: 'c', long: 'count', key: 'c' },
    { short: 'd', long: 'repeated', key: 'd' },
    { short: 'D', key: 'D' },
    { long: 'all-repeated', arg: 'optional', key: 'D' },
    { long: 'group', arg: 'optional', key: 'group' },
    { short: 'f', long: 'skip-fields', arg: 'required', key: 'f' },
    { short: 'i', long: 'ignore-case', key: 'i' },
    { short: 's', long: 'skip-chars', arg: 'required', key: 's' },
    { short: 'u', long: 'unique', key: 'u' },
    { short: 'w', long: 'check-chars', arg: 'required', key: 'w' },
    { short: 'z', long: 'zero-terminated', key: 'z' },
    ...HELP_VERSION,
  ]);
  if (typeof opts === 'number') return opts;
  const hv = yield* helpOrVersion(
    opts,
    `Usage: ${prog} [OPTION]... [INPUT [OUTPUT]]\n` +
      'Filter adjacent matching lines from INPUT (or standard input),\nwriting to OUTPUT (or standard output).\n\nWith no options, matching lines are merged to the first occurrence.\n\n' +
      'Mandatory arguments to long options are mandatory for short options too.\n' +
      '  -c, --count           prefix lines by the number of occurrences\n' +
      '  -d, --repeated        only print duplicate lines, one for each group\n' +
      '  -D                    print all duplicate lines\n' +
      '      --all-repeated[=METHOD]  like -D, but allow separating groups\n                                 with an empty line;\n                                 METHOD={none(default),prepend,separate}\n' +
      '  -f, --skip-fields=N   avoid comparing the first N fields\n' +
      '      --group[=METHOD]  show all items, separating groups with an empty line;\n                          METHOD={separate(default),prepend,append,both}\n' +
      '  -i, --ignore-case     ignore differences in case when comparing\n' +
      '  -s, --skip-chars=N    avoid comparing the first N characters\n' +
      '  -u, --unique          only print unique lines\n' +
      '  -z, --zero-terminated     line delimiter is NUL, not newline\n' +
      '  -w, --check-chars=N   compare no more than N characters in lines\n' +
      '      --help        display this help and exit\n      --version     output version information and exit\n',
    coreutilsVersion('uniq', 'Written by Richard M. Stallman and David MacKenzie.'),
  );
  if (hv !== null) return hv;
  const spec: UniqSpec = { skipFields: 0, skipChars: 0, checkChars: Infinity, icase: false };
  let count = false;
  let repeated = false;
  let unique = false;
  let allRepeated: string | null = null;
  let group: string | null = null;
  for (const [k, v] of opts.list) {
    if (k === 'f' || k === 's' || k === 'w') {
      const n = parseCount(v as string);
      if (n === null) {
        const what = k === 'f' ? 'invalid number of fields to skip' : k === 's' ? 'invalid number of bytes to skip' : 'invalid number of bytes to compare';
        yield* errOut(`${prog}: ${v as string}: ${what}\n`);
        return 1;
      }
      if (k === 'f') spec.skipFields = n;
      else if (k === 's') spec.skipChars = n;
      else spec.checkChars = n;
    } else if (k === 'c') count = true;
    else if (k === 'd') repeated = true;
    else if (k === 'u') unique = true;
    else if (k === 'i') spec.icase = true;
    else if (k === 'D') {
      if (v === true) allRepeated = 'none';
      else {
        const m = argMatch(v, ALL_REPEATED);
        if (!m) {
          yield* errOut(`${prog}: invalid argument ${quote(v)} for '--all-repeated'\nValid arguments are:\n` + ALL_REPEATED.map((x) => `  - '${x}'\n`).join(''));
          return yield* usageError(prog, null);
        }
        allRepeated = m;
      }
    } else if (k === 'group') {
      if (v === true) group = 'separate';
      else {
        const m = argMatch(v, GROUP);
        if (!m) {
          yield* errOut(`${prog}: invalid argument ${quote(v)} for '--group'\nValid arguments are:\n` + GROUP.map((x) => `  - '${x}'\n`).join(''));
          return yield* usageError(prog, null);
        }
        group = m;
      }
    }
  }
  if (opts.operands.length > 2) return yield* usageError(prog, `extra operand ${quote(opts.operands[2])}`);
  if (group !== null && (count || repeated || unique || allRepeated !== null)) {
    return yield* usageError(prog, '--group is mutually exclusive with -c/-d/-D/-u');
  }
  if (count && allRepeated !== null) return yield* usageError(prog, 'printing all duplicated lines and repeat counts is meaningless');
  const eol = opts.values.has('z') ? '\0' : '\n';
  const input = opts.operands[0] ?? '-';
  const output = opts.operands[1] ?? '-';
  let inFd = 0;
  if (input !== '-') {
    const fd = yield* sys.open(input, O_RDONLY);
    if (fd instanceof SysError) {
      yield* errOut(`${prog}: ${quoteShell(input)}: ${fd.message}\n`);
      return 1;
    }
    inFd = fd;
  }
  let outFd = 1;
  if (output !== '-') {
    const fd = yield* sys.open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
    if (fd instanceof SysError) {
      yield* errOut(`${prog}: ${quoteShell(output)}: ${fd.message}\n`);
      return 1;
    }
    outFd = fd;
  }
  // coreutils' three switches: print lines seen once, the first of a repeated run, the later ones.
  const outputUnique = !(repeated || allRepeated !== null);
  const outputFirstRepeated = !unique;
  const outputLaterRepeated = allRepeated !== null;
  const out = new OutBuffer(outFd);
  const src = new LineSource(inFd, eol);
  let prevLine: string | null = null;
  let prevKey = '';
  let matchCount = 0;
  let firstDelimiter = true;
  let firstGroupPrinted = false;
  const grouping = group !== null || (outputUnique && outputFirstRepeated && !count);
  /** coreutils' writeline: a line of a run, if the switches want it. */
  const writeLine = (line: string, match: boolean, n: number): string => {
    if (!(n === 0 ? outputUnique : !match ? outputFirstRepeated : outputLaterRepeated)) return '';
    return (count ? `${String(n + 1).padStart(7)} ` : '') + line + eol;
  };
  for (;;) {
    const lines = yield* src.next();
    if (lines === null) break;
    let bytes = 0;
    let o = '';
    for (const raw of lines) {
      bytes += raw.length;
      const line = raw.endsWith(eol) ? raw.slice(0, -1) : raw;
      const key = comparedPart(line, spec);
      if (grouping) {
        const newGroup = prevLine === null || key !== prevKey;
        if (newGroup && group !== null && (group === 'prepend' || group === 'both' || (firstGroupPrinted && (group === 'append' || group === 'separate')))) {
          o += eol;
        }
        if (newGroup || group !== null) {
          o += line + eol;
          prevLine = line;
          prevKey = key;
          firstGroupPrinted = true;
        }
        continue;
      }
      if (prevLine === null) {
        prevLine = line;
        prevKey = key;
        continue;
      }
      const match = key === prevKey;
      if (match) matchCount++;
      if (allRepeated !== null && allRepeated !== 'none') {
        if (!match) {
          if (matchCount) firstDelimiter = false;
        } else if (matchCount === 1 && (allRepeated === 'prepend' || (allRepeated === 'separate' && !firstDelimiter))) {
          o += eol;
        }
      }
      if (!match || outputLaterRepeated) {
        o += writeLine(prevLine, match, matchCount);
        prevLine = line;
        prevKey = key;
        if (!match) matchCount = 0;
      }
    }
    yield bytes * UNIQ_NS_PER_BYTE + lines.length * UNIQ_NS_PER_LINE;
    yield* out.write(o);
  }
  if (grouping) {
    if ((group === 'both' || group === 'append') && firstGroupPrinted) yield* out.write(eol);
  } else if (prevLine !== null) {
    yield* out.write(writeLine(prevLine, false, matchCount));
  }
  const e = yield* out.flush();
  if (src.error) {
    yield* errOut(`${prog}: ${quoteShell(input)}: ${src.error.message}\n`);
    return 1;
  }
  if (e) {
    yield* errOut(`${prog}: write error: ${e.message}\n`);
    return 1;
  }
  if (outFd !== 1) yield* sys.close(outFd);
  return 0;
}
