/**
 * grep(1), GNU grep 3.8: print lines that match patterns. PATTERNS (one operand, or
 * -e/-f, newline-separated) are BREs (-G, default), EREs (-E), fixed strings (-F) or
 * Perl-like (-P); -i -w -x -v select; output is the lines (with -H/-h file names, -n
 * line numbers, -b byte offsets, -T alignment, -Z NULs, context -A/-B/-C/-NUM with
 * "--" between groups, --color=always), only the matches (-o), counts (-c), file names
 * (-l/-L), or nothing (-q). -m stops after NUM selected lines; -r/-R search
 * directories (--include/--exclude/--exclude-dir); a file with NUL bytes is binary
 * ("binary file matches", -a/-I/--binary-files); -z reads NUL-terminated lines.
 * Exit status: 0 if a line was selected, 1 if none, 2 on error (unless -q selected one).
 *
 * Simplification: directories are walked in the order getdents(2) gives.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut, out as writeOut, readAll } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { LineSource } from '../../lib/line-source.js';
import { getopt, GetoptError, type OptionSpec } from '../../lib/getopt.js';
import { fnmatch } from '../../lib/fnmatch.js';
import { O_RDONLY, O_DIRECTORY, isDir, isLnk, isReg } from '../../../kernel/vfs/types.js';
import { compileGrepPatterns, type LineMatcher, type Syntax } from './grep-matcher.js';
import type { Gen } from './cli.js';

/** User time per byte searched and per line tested. Design choices, not measurements. */
const GREP_NS_PER_BYTE = 2;
const GREP_NS_PER_LINE = 40;

/** grep's exit statuses. */
const EXIT_MATCH = 0;
const EXIT_NOMATCH = 1;
const EXIT_TROUBLE = 2;

/** GREP_COLORS defaults: ms=01;31:mc=01;31:sl=:cx=:fn=35:ln=32:bn=32:se=36. */
const COLOR = { match: '01;31', file: '35', line: '32', byte: '32', sep: '36' };
const sgr = (code: string, text: string): string => `\x1b[${code}m\x1b[K${text}\x1b[m\x1b[K`;

const SPECS: OptionSpec[] = [
  { short: 'E', long: 'extended-regexp', key: 'E' },
  { short: 'F', long: 'fixed-strings', key: 'F' },
  { short: 'G', long: 'basic-regexp', key: 'G' },
  { short: 'P', long: 'perl-regexp', key: 'P' },
  { short: 'e', long: 'regexp', arg: 'required', key: 'e' },
  { short: 'f', long: 'file', arg: 'required', key: 'f' },
  { short: 'i', long: 'ignore-case', key: 'i' },
  { short: 'y', key: 'i' },
  { long: 'no-ignore-case', key: 'no-i' },
  { short: 'w', long: 'word-regexp', key: 'w' },
  { short: 'x', long: 'line-regexp', key: 'x' },
  { short: 'z', long: 'null-data', key: 'z' },
  { short: 's', long: 'no-messages', key: 's' },
  { short: 'v', long: 'invert-match', key: 'v' },
  { short: 'V', long: 'version', key: 'version' },
  { long: 'help', key: 'help' },
  { short: 'm', long: 'max-count', arg: 'required', key: 'm' },
  { short: 'b', long: 'byte-offset', key: 'b' },
  { short: 'n', long: 'line-number', key: 'n' },
  { long: 'line-buffered', key: 'line-buffered' },
  { short: 'H', long: 'with-filename', key: 'H' },
  { short: 'h', long: 'no-filename', key: 'h' },
  { long: 'label', arg: 'required', key: 'label' },
  { short: 'o', long: 'only-matching', key: 'o' },
  { short: 'q', long: 'quiet', key: 'q' },
  { long: 'silent', key: 'q' },
  { long: 'binary-files', arg: 'required', key: 'binary-files' },
  { short: 'a', long: 'text', key: 'a' },
  { short: 'I', key: 'I' },
  { short: 'd', long: 'directories', arg: 'required', key: 'd' },
  { short: 'D', long: 'devices', arg: 'required', key: 'D' },
  { short: 'r', long: 'recursive', key: 'r' },
  { short: 'R', long: 'dereference-recursive', key: 'R' },
  { long: 'include', arg: 'required', key: 'include' },
  { long: 'exclude', arg: 'required', key: 'exclude' },
  { long: 'exclude-from', arg: 'required', key: 'exclude-from' },
  { long: 'exclude-dir', arg: 'required', key: 'exclude-dir' },
  { short: 'L', long: 'files-without-match', key: 'L' },
  { short: 'l', long: 'files-with-matches', key: 'l' },
  { short: 'c', long: 'count', key: 'c' },
  { short: 'T', long: 'initial-tab', key: 'T' },
  { short: 'Z', long: 'null', key: 'Z' },
  { short: 'B', long: 'before-context', arg: 'required', key: 'B' },
  { short: 'A', long: 'after-context', arg: 'required', key: 'A' },
  { short: 'C', long: 'context', arg: 'required', key: 'C' },
  { long: 'group-separator', arg: 'required', key: 'group-separator' },
  { long: 'no-group-separator', key: 'no-group-separator' },
  { long: 'color', arg: 'optional', key: 'color' },
  { long: 'colour', arg: 'optional', key: 'color' },
  { short: 'U', long: 'binary', key: 'U' },
];

interface GrepConfig {
  matcher: LineMatcher;
  invert: boolean;
  count: boolean;
  list: 'matching' | 'nonmatching' | null;
  quiet: boolean;
  only: boolean;
  lineNumbers: boolean;
  byteOffsets: boolean;
  withFilename: boolean;
  nullAfterName: boolean;
  initialTab: boolean;
  maxCount: number;
  before: number;
  after: number;
  groupSeparator: string | null;
  color: boolean;
  binaryFiles: 'binary' | 'text' | 'without-match';
  eol: string;
  suppressErrors: boolean;
  directories: 'read' | 'recurse' | 'skip';
  followLinks: boolean;
  include: string[];
  exclude: string[];
  excludeDir: string[];
  label: string;
}

/** What the whole run has seen so far. */
interface RunState {
  selectedAny: boolean;
  error: boolean;
  /** Something was printed that a later context group must be separated from. */
  printedGroup: boolean;
  stop: boolean;
}

/** GNU grep's -NUM: digits in a bundle of short options are a context length (-5, -n5 → -C5). */
function expandDigitOptions(args: readonly string[]): string[] {
  const res: string[] = [];
  const shortWithArg = new Set(SPECS.filter((s) => s.short && s.arg === 'required').map((s) => s.short!));
  const longWithArg = SPECS.filter((s) => s.long && s.arg === 'required').map((s) => s.long!);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      res.push(...args.slice(i));
      break;
    }
    if (a.startsWith('--')) {
      res.push(a);
      const name = a.slice(2);
      // A long option's separate argument is taken verbatim.
      if (!name.includes('=') && name !== '' && longWithArg.some((l) => l.startsWith(name)) && i + 1 < args.length) res.push(args[++i]);
      continue;
    }
    if (!a.startsWith('-') || a.length < 2) {
      res.push(a);
      continue;
    }
    let letters = '';
    let digits = '';
    let takesNext = false;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c >= '0' && c <= '9') {
        digits += c;
        continue;
      }
      letters += c;
      if (shortWithArg.has(c)) {
        letters += a.slice(j + 1);
        takesNext = j === a.length - 1;
        break;
      }
    }
    if (digits) res.push(`-C${digits}`);
    if (letters) res.push(`-${letters}`);
    if (takesNext && i + 1 < args.length) res.push(args[++i]);
  }
  return res;
}

function shortName(argv0: string): string {
  return argv0.slice(argv0.lastIndexOf('/') + 1);
}

export function* grepMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  const name = shortName(prog);
  const usage = `Usage: ${name} [OPTION]... PATTERNS [FILE]...\nTry '${name} --help' for more information.\n`;
  let opts;
  try {
    opts = getopt(prog, expandDigitOptions(argv.slice(1)), SPECS);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\n${usage}`);
    return EXIT_TROUBLE;
  }
  const fatal = function* (message: string): Gen<number> {
    yield* errOut(`${prog}: ${message}\n`);
    return EXIT_TROUBLE;
  };
  let syntax: Syntax | null = null;
  let icase = false;
  const patterns: string[] = [];
  let patternsGiven = false;
  let maxCount = Infinity;
  let before = -1;
  let after = -1;
  let context = -1;
  let binaryFiles: GrepConfig['binaryFiles'] = 'binary';
  let directories: GrepConfig['directories'] = 'read';
  let followLinks = false;
  let withFilename: boolean | null = null;
  let list: GrepConfig['list'] = null;
  let color = false;
  let groupSeparator: string | null = '--';
  const include: string[] = [];
  const exclude: string[] = [];
  const excludeDir: string[] = [];
  const contextLength = (v: string): number | null => (/^\d+$/.test(v) ? Number(v) : null);
  for (const [k, val] of opts.list) {
    const v = val as string;
    switch (k) {
      case 'help':
        yield* writeOut(grepHelp(name));
        return EXIT_MATCH;
      case 'version':
        yield* writeOut(
          'grep (GNU grep) 3.8\nCopyright (C) 2022 Free Software Foundation, Inc.\nLicense GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n' +
            'This is free software: you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n\n' +
            'Written by Mike Haertel and others; see\n<https://git.sv.gnu.org/cgit/grep.git/tree/AUTHORS>.\n',
        );
        return EXIT_MATCH;
      case 'E':
      case 'F':
      case 'G':
      case 'P':
        if (syntax !== null && syntax !== k) return yield* fatal('conflicting matchers specified');
        syntax = k;
        break;
      case 'e':
        patterns.push(...v.split('\n'));
        patternsGiven = true;
        break;
      case 'f': {
        let data: string | SysError;
        if (v === '-') data = yield* readAll(0);
        else {
          const fd = yield* sys.open(v, O_RDONLY);
          if (fd instanceof SysError) return yield* fatal(`${v}: ${fd.message}`);
          data = yield* readAll(fd);
          yield* sys.close(fd);
        }
        if (data instanceof SysError) return yield* fatal(`${v}: ${data.message}`);
        if (data !== '') patterns.push(...(data.endsWith('\n') ? data.slice(0, -1) : data).split('\n'));
        patternsGiven = true;
        break;
      }
      case 'i':
        icase = true;
        break;
      case 'no-i':
        icase = false;
        break;
      case 'm': {
        const m = /^-?\d+$/.test(v) ? Number(v) : NaN;
        if (Number.isNaN(m)) return yield* fatal('invalid max count');
        maxCount = m < 0 ? Infinity : m;
        break;
      }
      case 'A':
      case 'B':
      case 'C': {
        const n = contextLength(v);
        if (n === null) return yield* fatal(`${v}: invalid context length argument`);
        if (k === 'A') after = n;
        else if (k === 'B') before = n;
        else context = n;
        break;
      }
      case 'H':
        withFilename = true;
        break;
      case 'h':
        withFilename = false;
        break;
      case 'binary-files':
        if (v === 'binary' || v === 'text' || v === 'without-match') binaryFiles = v;
        else return yield* fatal('unknown binary-files type');
        break;
      case 'a':
        binaryFiles = 'text';
        break;
      case 'I':
        binaryFiles = 'without-match';
        break;
      case 'd':
        if (v === 'read' || v === 'recurse' || v === 'skip') directories = v;
        else {
          yield* errOut(`${prog}: invalid argument '${v}' for '--directories'\nValid arguments are:\n  - 'read'\n  - 'recurse'\n  - 'skip'\n${usage}`);
          return EXIT_TROUBLE;
        }
        break;
      case 'r':
        directories = 'recurse';
        break;
      case 'R':
        directories = 'recurse';
        followLinks = true;
        break;
      case 'include':
        include.push(v);
        break;
      case 'exclude':
        exclude.push(v);
        break;
      case 'exclude-from': {
        const fd = yield* sys.open(v, O_RDONLY);
        if (fd instanceof SysError) return yield* fatal(`${v}: ${fd.message}`);
        const data = yield* readAll(fd);
        yield* sys.close(fd);
        if (typeof data === 'string') exclude.push(...data.split('\n').filter((x) => x !== ''));
        break;
      }
      case 'exclude-dir':
        excludeDir.push(v);
        break;
      case 'l':
        list = 'matching';
        break;
      case 'L':
        list = 'nonmatching';
        break;
      case 'color':
        // Without WHEN (or with auto) colour needs a terminal, which ctsim's standard output never is.
        if (val === true) color = false;
        else if (v === 'always' || v === 'yes' || v === 'force') color = true;
        else if (['never', 'no', 'none', 'auto', 'tty', 'if-tty'].includes(v)) color = false;
        else {
          yield* writeOut(grepHelp(name));
          return EXIT_TROUBLE;
        }
        break;
      case 'group-separator':
        groupSeparator = v;
        break;
      case 'no-group-separator':
        groupSeparator = null;
        break;
    }
  }
  const v = opts.values;
  const operands = [...opts.operands];
  if (!patternsGiven) {
    if (operands.length === 0) {
      yield* errOut(usage);
      return EXIT_TROUBLE;
    }
    patterns.push(...operands.shift()!.split('\n'));
  }
  let invert = v.has('v');
  let lines = v.has('x');
  let words = v.has('w');
  const quiet = v.has('q');
  if (quiet) list = null;
  const count = v.has('c') && !quiet && list === null;
  // -f /dev/null: no pattern matches nothing, which is the inverse of "" matching everything.
  let pats = patterns;
  if (pats.length === 0) {
    invert = !invert;
    pats = [''];
    lines = words = false;
  }
  if ((maxCount === 0 || (pats.every((p) => p === '') && invert && !lines && !words)) && list !== 'nonmatching') return EXIT_NOMATCH;
  const compiled = compileGrepPatterns(pats, { syntax: syntax ?? 'G', icase, words, lines });
  if (typeof compiled === 'string') return yield* fatal(compiled);
  if (compiled.warnings.length > 0) yield* errOut(compiled.warnings.map((w) => `${prog}: warning: ${w}\n`).join(''));

  const recursive = directories === 'recurse';
  let files = operands;
  let implicitDot = false;
  if (files.length === 0) {
    files = [recursive ? '.' : '-'];
    implicitDot = recursive;
  }
  const only = v.has('o');
  const cfg: GrepConfig = {
    matcher: compiled.matcher,
    invert,
    count,
    list,
    quiet,
    only,
    lineNumbers: v.has('n'),
    byteOffsets: v.has('b'),
    withFilename: withFilename ?? (files.length > 1 || recursive),
    nullAfterName: v.has('Z'),
    initialTab: v.has('T'),
    maxCount,
    before: only || count || list || quiet ? 0 : before >= 0 ? before : Math.max(context, 0),
    after: only || count || list || quiet ? 0 : after >= 0 ? after : Math.max(context, 0),
    groupSeparator,
    color,
    binaryFiles,
    eol: v.has('z') ? '\0' : '\n',
    suppressErrors: v.has('s'),
    directories,
    followLinks,
    include,
    exclude,
    excludeDir,
    label: typeof v.get('label') === 'string' ? (v.get('label') as string) : '(standard input)',
  };
  const out = new OutBuffer(1);
  const state: RunState = { selectedAny: false, error: false, printedGroup: false, stop: false };
  for (const f of files) {
    if (state.stop) break;
    yield* searchPath(prog, f, implicitDot ? '' : f, true, cfg, out, state);
  }
  yield* out.flush();
  if (state.error && !(quiet && state.selectedAny)) return EXIT_TROUBLE;
  return state.selectedAny ? EXIT_MATCH : EXIT_NOMATCH;
}

/** --include/--exclude for a command-line name: the whole name or any suffix after a slash. */
function isExcludedOperand(f: string, c: GrepConfig): boolean {
  const suffixes = [f];
  for (let i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) if (f[i + 1] && f[i + 1] !== '/') suffixes.push(f.slice(i + 1));
  if (c.exclude.some((g) => suffixes.some((s) => fnmatch(g, s)))) return true;
  if (c.include.length > 0 && !c.include.some((g) => suffixes.some((s) => fnmatch(g, s)))) return true;
  return false;
}

function* complain(prog: string, c: GrepConfig, state: RunState, message: string): Gen<void> {
  state.error = true;
  if (!c.suppressErrors) yield* errOut(`${prog}: ${message}\n`);
}

/**
 * Searches one path: a file, standard input ("-"), or (with -r) a directory. `shown` is
 * the name printed for it; `operand` says whether it came from the command line.
 */
function* searchPath(prog: string, path: string, shown: string, operand: boolean, c: GrepConfig, out: OutBuffer, state: RunState): Gen<void> {
  if (path === '-' && operand) {
    yield* searchFd(prog, 0, c.label, c, out, state);
    return;
  }
  const st = operand || c.followLinks ? yield* sys.stat(path) : yield* sys.lstat(path);
  if (st instanceof SysError) {
    yield* out.flush();
    yield* complain(prog, c, state, `${shown || path}: ${st.message}`);
    return;
  }
  if (!operand && isLnk(st.mode)) return;
  if (operand && !isDir(st.mode) && isExcludedOperand(path, c)) return;
  if (isDir(st.mode)) {
    if (c.directories === 'skip') return;
    if (c.directories === 'read') {
      yield* out.flush();
      yield* complain(prog, c, state, `${shown}: Is a directory`);
      return;
    }
    const base = path.slice(path.replace(/\/+$/, '').lastIndexOf('/') + 1);
    if (!operand && c.excludeDir.some((g) => fnmatch(g, base))) return;
    const fd = yield* sys.open(path, O_RDONLY | O_DIRECTORY);
    if (fd instanceof SysError) {
      yield* out.flush();
      yield* complain(prog, c, state, `${shown}: ${fd.message}`);
      return;
    }
    const names: string[] = [];
    for (;;) {
      const batch = yield* sys.getdents(fd);
      if (batch instanceof SysError || batch.length === 0) break;
      for (const d of batch) if (d.name !== '.' && d.name !== '..') names.push(d.name);
    }
    yield* sys.close(fd);
    for (const n of names) {
      if (state.stop) return;
      const childPath = path.endsWith('/') ? path + n : `${path}/${n}`;
      const childShown = shown === '' ? n : shown.endsWith('/') ? shown + n : `${shown}/${n}`;
      const cst = c.followLinks ? yield* sys.stat(childPath) : yield* sys.lstat(childPath);
      if (!(cst instanceof SysError) && !isDir(cst.mode)) {
        if (c.exclude.some((g) => fnmatch(g, n))) continue;
        if (c.include.length > 0 && !c.include.some((g) => fnmatch(g, n))) continue;
        if (!isReg(cst.mode) && !c.followLinks) continue;
      }
      yield* searchPath(prog, childPath, childShown, false, c, out, state);
    }
    return;
  }
  const fd = yield* sys.open(path, O_RDONLY);
  if (fd instanceof SysError) {
    yield* out.flush();
    yield* complain(prog, c, state, `${shown}: ${fd.message}`);
    return;
  }
  yield* searchFd(prog, fd, shown, c, out, state);
  yield* sys.close(fd);
}

/** The digits needed for line numbers and offsets in a file of this size (-T alignment). */
function* offsetWidth(fd: number): Gen<number> {
  const st = yield* sys.fstat(fd);
  if (st instanceof SysError || !isReg(st.mode)) return 19;
  return String(st.size).length;
}

/** Searches one open file. */
function* searchFd(prog: string, fd: number, name: string, c: GrepConfig, out: OutBuffer, state: RunState): Gen<void> {
  const width = c.initialTab ? yield* offsetWidth(fd) : 0;
  const src = new LineSource(fd, c.eol);
  let lineNo = 0;
  let offset = 0;
  let selected = 0;
  let lastPrinted = 0; // line number of the last line printed (0: none in this file)
  let afterLeft = 0;
  const beforeBuf: { text: string; no: number; off: number }[] = [];
  let binary = false;
  let binaryMatched = false;
  let done = false;
  const showLines = !c.count && !c.list && !c.quiet;

  const head = (no: number, off: number, sep: string): string => {
    let h = '';
    const sepText = (s: string): string => (c.color ? sgr(COLOR.sep, s) : s);
    if (c.withFilename) h += (c.color ? sgr(COLOR.file, name) : name) + (c.nullAfterName ? '\0' : sepText(sep));
    if (c.lineNumbers) {
      const n = String(no).padStart(width);
      h += (c.color ? sgr(COLOR.line, n) : n) + sepText(sep);
    }
    if (c.byteOffsets) {
      const b = String(off).padStart(width);
      h += (c.color ? sgr(COLOR.byte, b) : b) + sepText(sep);
    }
    return h;
  };
  const colorMatches = (text: string): string => {
    let o = '';
    let pos = 0;
    for (let from = 0; from <= text.length; ) {
      const m = c.matcher.exec(text, from);
      if (!m) break;
      if (m.end === m.index) {
        from = m.index + 1;
        continue;
      }
      o += text.slice(pos, m.index) + sgr(COLOR.match, text.slice(m.index, m.end));
      pos = from = m.end;
    }
    return o + text.slice(pos);
  };
  const emitLine = (text: string, no: number, off: number, sep: string): string => {
    const h = head(no, off, sep);
    const tab = c.initialTab && h !== '' && text !== '' ? '\t' : '';
    const body = c.color && (sep === ':') !== c.invert ? colorMatches(text) : text;
    return h + tab + body + c.eol;
  };
  const separatorIfGap = (no: number): string => {
    if ((c.before > 0 || c.after > 0) && c.groupSeparator !== null && state.printedGroup && (lastPrinted === 0 || no > lastPrinted + 1)) {
      return (c.color ? sgr(COLOR.sep, c.groupSeparator) : c.groupSeparator) + '\n';
    }
    return '';
  };

  while (!done) {
    const batch = yield* src.next();
    if (batch === null) break;
    let o = '';
    let bytes = 0;
    // Like grep, judge a whole buffer at a time: NUL bytes in it make the file binary from here on.
    if (!binary && c.eol === '\n' && c.binaryFiles !== 'text' && batch.some((l) => l.includes('\0'))) {
      binary = true;
      if (c.binaryFiles === 'without-match') break;
    }
    for (const raw of batch) {
      bytes += raw.length;
      lineNo++;
      const text = raw.endsWith(c.eol) ? raw.slice(0, -1) : raw;
      const lineOff = offset;
      offset += raw.length;
      const isMatch = c.matcher.test(text) !== c.invert;
      if (isMatch && selected < c.maxCount) {
        selected++;
        state.selectedAny = true;
        if (c.quiet) {
          state.stop = true;
          done = true;
          break;
        }
        if (c.list) {
          done = true;
          break;
        }
        if (!showLines) {
          if (selected >= c.maxCount) {
            done = true;
            break;
          }
          continue;
        }
        if (binary) {
          binaryMatched = true;
          done = true;
          break;
        }
        for (const b of beforeBuf) {
          if (b.no <= lastPrinted) continue;
          o += separatorIfGap(b.no) + emitLine(b.text, b.no, b.off, '-');
          lastPrinted = b.no;
          state.printedGroup = true;
        }
        beforeBuf.length = 0;
        o += separatorIfGap(lineNo);
        if (c.only) {
          if (!c.invert) {
            for (let from = 0; from <= text.length; ) {
              const m = c.matcher.exec(text, from);
              if (!m) break;
              if (m.end === m.index) {
                from = m.index + 1;
                continue;
              }
              o += head(lineNo, lineOff + m.index, ':') + (c.initialTab && (c.withFilename || c.lineNumbers || c.byteOffsets) ? '\t' : '');
              o += (c.color ? sgr(COLOR.match, text.slice(m.index, m.end)) : text.slice(m.index, m.end)) + c.eol;
              from = m.end;
            }
          }
        } else {
          o += emitLine(text, lineNo, lineOff, ':');
        }
        lastPrinted = lineNo;
        state.printedGroup = true;
        afterLeft = c.after;
      } else if (showLines) {
        if (selected >= c.maxCount && afterLeft === 0) {
          done = true;
          break;
        }
        if (afterLeft > 0) {
          o += emitLine(text, lineNo, lineOff, '-');
          lastPrinted = lineNo;
          afterLeft--;
        } else if (c.before > 0) {
          beforeBuf.push({ text, no: lineNo, off: lineOff });
          if (beforeBuf.length > c.before) beforeBuf.shift();
        }
      } else if (selected >= c.maxCount) {
        done = true;
        break;
      }
    }
    yield bytes * GREP_NS_PER_BYTE + batch.length * GREP_NS_PER_LINE;
    yield* out.write(o);
  }
  if (src.error) {
    yield* out.flush();
    yield* complain(prog, c, state, `${name}: ${src.error.message}`);
    return;
  }
  if (c.count) {
    const h = c.withFilename ? (c.color ? sgr(COLOR.file, name) : name) + (c.nullAfterName ? '\0' : c.color ? sgr(COLOR.sep, ':') : ':') : '';
    yield* out.write(`${h}${selected}\n`);
  }
  if ((c.list === 'matching' && selected > 0) || (c.list === 'nonmatching' && selected === 0)) {
    yield* out.write((c.color ? sgr(COLOR.file, name) : name) + (c.nullAfterName ? '\0' : '\n'));
  }
  if (binaryMatched) {
    yield* out.flush();
    yield* errOut(`${prog}: ${name}: binary file matches\n`);
  }
}

function grepHelp(name: string): string {
  return (
    `Usage: ${name} [OPTION]... PATTERNS [FILE]...\nSearch for PATTERNS in each FILE.\nExample: ${name} -i 'hello world' menu.h main.c\nPATTERNS can contain multiple patterns separated by newlines.\n\n` +
    'Pattern selection and interpretation:\n' +
    '  -E, --extended-regexp     PATTERNS are extended regular expressions\n' +
    '  -F, --fixed-strings       PATTERNS are strings\n' +
    '  -G, --basic-regexp        PATTERNS are basic regular expressions\n' +
    '  -P, --perl-regexp         PATTERNS are Perl regular expressions (ctsim: JavaScript syntax)\n' +
    '  -e, --regexp=PATTERNS     use PATTERNS for matching\n' +
    '  -f, --file=FILE           take PATTERNS from FILE\n' +
    '  -i, --ignore-case         ignore case distinctions in patterns and data\n' +
    '      --no-ignore-case      do not ignore case distinctions (default)\n' +
    '  -w, --word-regexp         match only whole words\n' +
    '  -x, --line-regexp         match only whole lines\n' +
    '  -z, --null-data           a data line ends in 0 byte, not newline\n\n' +
    'Miscellaneous:\n' +
    '  -s, --no-messages         suppress error messages\n' +
    '  -v, --invert-match        select non-matching lines\n' +
    '  -V, --version             display version information and exit\n' +
    '      --help                display this help text and exit\n\n' +
    'Output control:\n' +
    '  -m, --max-count=NUM       stop after NUM selected lines\n' +
    '  -b, --byte-offset         print the byte offset with output lines\n' +
    '  -n, --line-number         print line number with output lines\n' +
    '  -H, --with-filename       print file name with output lines\n' +
    '  -h, --no-filename         suppress the file name prefix on output\n' +
    '      --label=LABEL         use LABEL as the standard input file name prefix\n' +
    '  -o, --only-matching       show only nonempty parts of lines that match\n' +
    '  -q, --quiet, --silent     suppress all normal output\n' +
    "      --binary-files=TYPE   assume that binary files are TYPE;\n                            TYPE is 'binary', 'text', or 'without-match'\n" +
    '  -a, --text                equivalent to --binary-files=text\n' +
    '  -I                        equivalent to --binary-files=without-match\n' +
    "  -d, --directories=ACTION  how to handle directories;\n                            ACTION is 'read', 'recurse', or 'skip'\n" +
    '  -r, --recursive           like --directories=recurse\n' +
    '  -R, --dereference-recursive  likewise, but follow all symlinks\n' +
    '      --include=GLOB        search only files that match GLOB (a file pattern)\n' +
    '      --exclude=GLOB        skip files that match GLOB\n' +
    '      --exclude-from=FILE   skip files that match any file pattern from FILE\n' +
    '      --exclude-dir=GLOB    skip directories that match GLOB\n' +
    '  -L, --files-without-match  print only names of FILEs with no selected lines\n' +
    '  -l, --files-with-matches  print only names of FILEs with selected lines\n' +
    '  -c, --count               print only a count of selected lines per FILE\n' +
    '  -T, --initial-tab         make tabs line up (if needed)\n' +
    '  -Z, --null                print 0 byte after FILE name\n\n' +
    'Context control:\n' +
    '  -B, --before-context=NUM  print NUM lines of leading context\n' +
    '  -A, --after-context=NUM   print NUM lines of trailing context\n' +
    '  -C, --context=NUM         print NUM lines of output context\n' +
    '  -NUM                      same as --context=NUM\n' +
    '      --group-separator=SEP  print SEP on line between matches with context\n' +
    '      --no-group-separator  do not print separator for matches with context\n' +
    "      --color[=WHEN],\n      --colour[=WHEN]       use markers to highlight the matching strings;\n                            WHEN is 'always', 'never', or 'auto'\n\n" +
    "When FILE is '-', read standard input.  With no FILE, read '.' if\nrecursive, '-' otherwise.  With fewer than two FILEs, assume -h.\n" +
    'Exit status is 0 if any line is selected, 1 otherwise;\nif any error occurs and -q is not given, the exit status is 2.\n'
  );
}
