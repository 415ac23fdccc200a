/**
 * xargs(1), GNU findutils 4.9: build command lines from standard input (or -a FILE)
 * and run them. Items are blank- or newline-separated with '…', "…" and backslash
 * quoting (or NUL-separated with -0, CHARACTER-separated with -d); -n, -L/-l, -s limit
 * each command line; -I/-i replace a string in the initial arguments with each input
 * line; -E/-e set a logical end of file; -r skips an empty run; -t echoes each command
 * to standard error. The default command is echo.
 *
 * Commands run by fork(2) and execvp(3), with standard input from /dev/null (unless
 * -a); a close-on-exec pipe tells xargs whether exec failed, as findutils does.
 * Exit status: 0; 123 if a command exited 1–125; 124 if one exited 255; 125 if one was
 * killed; 126 if one could not run; 127 if one was not found; 1 for xargs' own errors.
 *
 * Simplification: -P runs commands one at a time; -p and -o are not supported.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut, out, readAll } from '../../lib/io.js';
import { quoteShellAlways } from '../../lib/gnu-quote.js';
import { execvp } from '../../lib/exec.js';
import { O_CLOEXEC, O_RDONLY } from '../../../kernel/vfs/types.js';
import { parseOptions, type Gen } from './cli.js';

/** User time per input byte parsed and per command line built. Design choices, not measurements. */
const XARGS_NS_PER_BYTE = 2;
const XARGS_NS_PER_COMMAND = 2_000;
/** findutils' default command-line buffer: 128 KiB (below ARG_MAX less the environment). */
const DEFAULT_MAX_CHARS = 131072;

const VERSION =
  'xargs (GNU findutils) 4.9.0\nCopyright (C) 2022 Free Software Foundation, Inc.\n' +
  'License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n' +
  'This is free software: you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n\n' +
  'Written by Eric B. Decker, James Youngman, and Kevin Dalley.\n';

function help(prog: string): string {
  return (
    `Usage: ${prog} [OPTION]... COMMAND [INITIAL-ARGS]...\nRun COMMAND with arguments INITIAL-ARGS and more arguments read from input.\n\n` +
    'Mandatory and optional arguments to long options are also\nmandatory or optional for the corresponding short option.\n' +
    '  -0, --null                   items are separated by a null, not whitespace;\n                                 disables quote and backslash processing and\n                                 logical EOF processing\n' +
    '  -a, --arg-file=FILE          read arguments from FILE, not standard input\n' +
    '  -d, --delimiter=CHARACTER    items in input stream are separated by CHARACTER,\n                                 not by whitespace; disables quote and backslash\n                                 processing and logical EOF processing\n' +
    '  -E END                       set logical EOF string; if END occurs as a line\n                                 of input, the rest of the input is ignored\n                                 (ignored if -0 or -d was specified)\n' +
    '  -e, --eof[=END]              equivalent to -E END if END is specified;\n                                 otherwise, there is no end-of-file string\n' +
    '  -I R                         same as --replace=R\n' +
    '  -i, --replace[=R]            replace R in INITIAL-ARGS with names read\n                                 from standard input, split at newlines;\n                                 if R is unspecified, assume {}\n' +
    '  -L, --max-lines=MAX-LINES    use at most MAX-LINES non-blank input lines per\n                                 command line\n' +
    '  -l[MAX-LINES]                similar to -L but defaults to at most one non-\n                                 blank input line if MAX-LINES is not specified\n' +
    '  -n, --max-args=MAX-ARGS      use at most MAX-ARGS arguments per command line\n' +
    '  -P, --max-procs=MAX-PROCS    run at most MAX-PROCS processes at a time\n                                 (ctsim runs them one at a time)\n' +
    "  -r, --no-run-if-empty        if there are no arguments, then do not run COMMAND;\n                                 if this option is not given, COMMAND will be\n                                 run at least once\n" +
    '  -s, --max-chars=MAX-CHARS    limit length of command line to MAX-CHARS\n' +
    '  -t, --verbose                print commands before executing them\n' +
    '  -x, --exit                   exit if the size (see -s) is exceeded\n' +
    '      --help                   display this help and exit\n' +
    '      --version                output version information and exit\n'
  );
}

/** An input item and whether it ended its input line (for -L). */
interface Item {
  text: string;
  endsLine: boolean;
}

class XargsError {
  constructor(readonly message: string) {}
}

/** Parses -d's CHARACTER: one byte or an escape (\n, \t, \0, \NNN octal, \xHH). */
function parseDelimiter(s: string): string | null {
  if (s.length === 1) return s;
  if (s[0] !== '\\') return null;
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
  if (s.length === 2 && simple[s[1]] !== undefined) return simple[s[1]];
  if (/^\\x[0-9a-fA-F]{1,2}$/.test(s)) return String.fromCharCode(parseInt(s.slice(2), 16));
  if (/^\\[0-7]{1,3}$/.test(s)) return String.fromCharCode(parseInt(s.slice(1), 8) & 0xff);
  return null;
}

/**
 * Splits xargs' default input format into items: blanks and newlines separate, quotes
 * group (within a line), a backslash quotes the next character; -E's string ends input.
 * With -I (`lineMode`) only newlines separate and leading blanks are dropped.
 */
function splitQuoted(data: string, eofStr: string | null, lineMode: boolean): { items: Item[]; error: string | null } {
  const items: Item[] = [];
  let cur = '';
  let have = false;
  let quote: string | null = null;
  let i = 0;
  const finish = (endsLine: boolean): boolean => {
    if (have) {
      if (eofStr !== null && cur === eofStr) return false;
      items.push({ text: cur, endsLine });
    } else if (endsLine && items.length > 0) {
      items[items.length - 1].endsLine = true;
    }
    cur = '';
    have = false;
    return true;
  };
  for (; i < data.length; i++) {
    const c = data[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\n') {
        return { items, error: `unmatched ${quote === "'" ? 'single' : 'double'} quote; by default quotes are special to xargs unless you use the -0 option` };
      } else cur += c;
      continue;
    }
    if (c === '\n') {
      // A blank at the end of a line continues the logical line (for -L).
      const continued = !lineMode && !have && i > 0 && (data[i - 1] === ' ' || data[i - 1] === '\t');
      if (!finish(!continued)) return { items, error: null };
      continue;
    }
    if ((c === ' ' || c === '\t') && !(lineMode && have)) {
      if (lineMode) continue;
      if (!finish(false)) return { items, error: null };
      continue;
    }
    if (c === '\\') {
      if (i + 1 < data.length) cur += data[++i];
      have = true;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      have = true;
      continue;
    }
    cur += c;
    have = true;
  }
  if (quote) return { items, error: `unmatched ${quote === "'" ? 'single' : 'double'} quote; by default quotes are special to xargs unless you use the -0 option` };
  finish(true);
  return { items, error: null };
}

export function* xargsMain({ argv, envp }: ProgramArgs): Program {
  const prog = argv[0];
  // xargs stops option parsing at the command.
  const opts = yield* parseOptions(
    prog,
    argv,
    [
      { short: '0', long: 'null', key: '0' },
      { short: 'a', long: 'arg-file', arg: 'required', key: 'a' },
      { short: 'd', long: 'delimiter', arg: 'required', key: 'd' },
      { short: 'E', arg: 'required', key: 'E' },
      { short: 'e', long: 'eof', arg: 'optional', key: 'e' },
      { short: 'I', arg: 'required', key: 'I' },
      { short: 'i', long: 'replace', arg: 'optional', key: 'i' },
      { short: 'L', arg: 'required', key: 'L' },
      { short: 'l', long: 'max-lines', arg: 'optional', key: 'l' },
      { short: 'n', long: 'max-args', arg: 'required', key: 'n' },
      { short: 'P', long: 'max-procs', arg: 'required', key: 'P' },
      { short: 'r', long: 'no-run-if-empty', key: 'r' },
      { short: 's', long: 'max-chars', arg: 'required', key: 's' },
      { short: 't', long: 'verbose', key: 't' },
      { short: 'x', long: 'exit', key: 'x' },
      { long: 'show-limits', key: 'show-limits' },
      { long: 'process-slot-var', arg: 'required', key: 'process-slot-var' },
      { long: 'help', key: 'help' },
      { long: 'version', key: 'version' },
    ],
    1,
    { stopAtOperand: true },
  );
  if (typeof opts === 'number') return opts;
  const usageFail = function* (msg: string): Gen<number> {
    yield* errOut(`${prog}: ${msg}\nTry '${prog} --help' for more information.\n`);
    return 1;
  };
  let delim: string | null = null;
  let eofStr: string | null = null;
  let replace: string | null = null;
  let maxLines = 0;
  /** -L/-l given (as opposed to implied by -I). */
  let maxLinesGiven = false;
  let maxArgs = 0;
  let maxChars = DEFAULT_MAX_CHARS;
  let argFile: string | null = null;
  const count = (v: string, opt: string, min: number): number | string => {
    if (!/^\d+$/.test(v)) return `invalid number "${v}" for -${opt} option`;
    const n = Number(v);
    if (n < min) return `value ${n} for -${opt} option should be >= ${min}`;
    return n;
  };
  for (const [k, val] of opts.list) {
    const v = val as string;
    switch (k) {
      case 'help':
        yield* out(help(prog));
        return 0;
      case 'version':
        yield* out(VERSION);
        return 0;
      case '0':
        delim = '\0';
        break;
      case 'd': {
        const d = parseDelimiter(v);
        if (d === null) {
          yield* errOut(`${prog}: Invalid input delimiter specification ${v}: the delimiter must be either a single character or an escape sequence starting with \\.\n`);
          return 1;
        }
        delim = d;
        break;
      }
      case 'a':
        argFile = v;
        break;
      case 'E':
        eofStr = v === '' ? null : v;
        break;
      case 'e':
        eofStr = val === true || v === '' ? null : v;
        break;
      case 'I':
      case 'i':
        if (maxArgs) {
          yield* errOut(`${prog}: warning: options --max-args and --replace/-I/-i are mutually exclusive, ignoring previous --max-args value\n`);
          maxArgs = 0;
        }
        if (maxLinesGiven) {
          yield* errOut(`${prog}: warning: options --max-lines and --replace/-I/-i are mutually exclusive, ignoring previous --max-lines value\n`);
          maxLinesGiven = false;
        }
        replace = k === 'i' && (val === true || v === '') ? '{}' : v;
        maxLines = 1;
        break;
      case 'L':
      case 'l':
      case 'n':
      case 's':
      case 'P': {
        const n = k === 'l' && val === true ? 1 : count(v, k, k === 'P' ? 0 : 1);
        if (typeof n === 'string') return yield* usageFail(n);
        if (k === 'L' || k === 'l') {
          if (maxArgs) {
            const which = k === 'L' ? '-L' : '--max-lines/-l';
            yield* errOut(`${prog}: warning: options --max-args and ${which} are mutually exclusive, ignoring previous --max-args value\n`);
            maxArgs = 0;
          }
          if (replace !== null) {
            yield* errOut(`${prog}: warning: options --replace and ${k === 'L' ? '-L' : '--max-lines/-l'} are mutually exclusive, ignoring previous --replace value\n`);
            replace = null;
          }
          maxLines = n;
          maxLinesGiven = true;
        } else if (k === 'n') {
          if (maxLinesGiven) {
            yield* errOut(`${prog}: warning: options --max-lines and --max-args/-n are mutually exclusive, ignoring previous --max-lines value\n`);
            maxLines = 0;
            maxLinesGiven = false;
          }
          maxArgs = n;
        } else if (k === 's') maxChars = n;
        break;
      }
    }
  }
  const showLimits = opts.values.has('show-limits');
  const cmd = opts.operands.length > 0 ? opts.operands : ['echo'];
  if (showLimits) {
    const envBytes = envp.reduce((a, e) => a + e.length + 1, 0);
    yield* errOut(
      `Your environment variables take up ${envBytes} bytes\nPOSIX upper limit on argument length (this system): 2093820\n` +
        'POSIX smallest allowable upper limit on argument length (all systems): 4096\n' +
        `Maximum length of command we could actually use: ${2093820 - envBytes}\nSize of command buffer we are actually using: ${maxChars}\n` +
        'Maximum parallelism (--max-procs must be no greater): 2147483647\n\n',
    );
  }

  // Read all input items.
  let data: string | SysError;
  if (argFile !== null) {
    const fd = yield* sys.open(argFile, O_RDONLY);
    if (fd instanceof SysError) {
      yield* errOut(`${prog}: Cannot open input file ${quoteShellAlways(argFile)}: ${fd.message}\n`);
      return 1;
    }
    data = yield* readAll(fd);
    yield* sys.close(fd);
  } else data = yield* readAll(0);
  if (data instanceof SysError) {
    yield* errOut(`${prog}: read error: ${data.message}\n`);
    return 1;
  }
  yield data.length * XARGS_NS_PER_BYTE;
  let items: Item[];
  let pendingError: string | null = null;
  if (delim !== null) {
    const parts = data.split(delim);
    if (parts[parts.length - 1] === '') parts.pop();
    items = parts.map((t) => ({ text: t, endsLine: true }));
  } else {
    const r = splitQuoted(data, eofStr, replace !== null);
    items = r.items;
    pendingError = r.error;
  }

  const run = new Runner(prog, envp, argFile === null, opts.values.has('t'));
  const cmdSize = cmd.reduce((a, s) => a + s.length + 1, 0);
  try {
    if (replace !== null) {
      for (const it of items) {
        const args = cmd.map((a) => a.split(replace!).join(it.text));
        if (args.reduce((a, s) => a + s.length + 1, 0) > maxChars) throw new XargsError('argument line too long');
        if (!(yield* run.exec(args))) break;
      }
    } else {
      let batch: string[] = [];
      let size = cmdSize;
      let lines = 0;
      let ranOnce = false;
      const flush = function* (): Gen<boolean> {
        ranOnce = true;
        const ok = yield* run.exec([...cmd, ...batch]);
        batch = [];
        size = cmdSize;
        lines = 0;
        return ok;
      };
      let stopped = false;
      for (const it of items) {
        const need = it.text.length + 1;
        if (cmdSize + need > maxChars) throw new XargsError('argument line too long');
        if (size + need > maxChars) {
          if (opts.values.has('x') && (maxArgs || maxLines)) throw new XargsError('argument line too long');
          if (!(yield* flush())) {
            stopped = true;
            break;
          }
        }
        batch.push(it.text);
        size += need;
        if (it.endsLine) lines++;
        if ((maxArgs && batch.length >= maxArgs) || (maxLines && lines >= maxLines)) {
          if (!(yield* flush())) {
            stopped = true;
            break;
          }
        }
      }
      if (!stopped && (batch.length > 0 || (!ranOnce && !opts.values.has('r') && pendingError === null))) yield* flush();
    }
  } catch (e) {
    if (!(e instanceof XargsError)) throw e;
    yield* errOut(`${prog}: ${e.message}\n`);
    return run.fatal ?? 1;
  }
  if (run.fatal !== null) return run.fatal;
  if (pendingError !== null) {
    yield* errOut(`${prog}: ${pendingError}\n`);
    return 1;
  }
  return run.status;
}

/** Runs command lines one at a time and remembers how they ended. */
class Runner {
  /** 0, or 123 once a command exited with 1–125. */
  status = 0;
  /** Set when xargs must stop (124, 125, 126, 127). */
  fatal: number | null = null;

  constructor(
    private readonly prog: string,
    private readonly envp: readonly string[],
    private readonly stdinIsInput: boolean,
    private readonly verbose: boolean,
  ) {}

  /** Runs one command line; false when xargs must stop. */
  *exec(args: string[]): Gen<boolean> {
    yield XARGS_NS_PER_COMMAND;
    if (this.verbose) yield* errOut(args.join(' ') + '\n');
    const p = yield* sys.pipe2(O_CLOEXEC);
    if (p instanceof SysError) throw new XargsError(`could not create pipe before fork: ${p.message}`);
    const [rfd, wfd] = p;
    const envp = this.envp;
    const nullStdin = this.stdinIsInput;
    const pid = yield* sys.fork(function* () {
      yield* sys.close(rfd);
      if (nullStdin) {
        const fd = yield* sys.open('/dev/null', O_RDONLY);
        if (!(fd instanceof SysError)) {
          if (fd !== 0) {
            yield* sys.dup2(fd, 0);
            yield* sys.close(fd);
          }
        } else yield* sys.close(0);
      }
      const e = yield* execvp(args[0], args, envp);
      yield* sys.write(wfd, e.errno);
      return e.errno === 'ENOENT' ? 127 : 126;
    });
    yield* sys.close(wfd);
    if (pid instanceof SysError) {
      yield* sys.close(rfd);
      throw new XargsError(`cannot fork: ${pid.message}`);
    }
    const execErr = yield* readAll(rfd);
    yield* sys.close(rfd);
    const w = yield* sys.wait4(pid);
    if (typeof execErr === 'string' && execErr !== '') {
      const e = new SysError(execErr as SysError['errno'], 'the child could not execute the command');
      yield* errOut(`${this.prog}: ${args[0]}: ${e.message}\n`);
      this.fatal = execErr === 'ENOENT' ? 127 : 126;
      return false;
    }
    if (w instanceof SysError) return true;
    const st = w.status;
    const sig = st & 0x7f;
    if (sig !== 0 && sig !== 0x7f) {
      yield* errOut(`${this.prog}: ${args[0]}: terminated by signal ${sig}\n`);
      this.fatal = 125;
      return false;
    }
    const code = (st >> 8) & 0xff;
    if (code === 255) {
      yield* errOut(`${this.prog}: ${args[0]}: exited with status 255; aborting\n`);
      this.fatal = 124;
      return false;
    }
    if (code !== 0) this.status = 123;
    return true;
  }
}

