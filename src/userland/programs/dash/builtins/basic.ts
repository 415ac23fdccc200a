/**
 * dash's simple builtins: `:` `true` `false` `echo` `printf` `test` `[` `pwd` `cd`.
 *
 * dash's echo knows only `-n` (as its first argument) and always interprets
 * backslash escapes (`\c` ends all output). cd keeps a logical current directory
 * ($PWD, with `..` taken textually) unless -P is given, sets OLDPWD, searches
 * CDPATH, and `cd -` goes to $OLDPWD and prints it.
 */
import * as sys from '../../../lib/sys.js';
import { SysError } from '../../../../kernel/errno.js';
import { isDir } from '../../../../kernel/vfs/types.js';
import { expandEscapes, printfFormat } from '../../../lib/printf-format.js';
import { evalTest, TestError } from '../../../lib/test-expr.js';
import { V_EXPORT } from '../vars.js';
import type { Shell, Gen } from '../shell.js';
import { def, nextopt, type Builtin } from './table.js';

function* colon(): Gen<number> {
  return 0;
}

function* falsecmd(): Gen<number> {
  return 1;
}

function* echo(sh: Shell, argv: string[]): Gen<number> {
  let i = 1;
  let nl = true;
  if (argv[1] === '-n') {
    nl = false;
    i = 2;
  }
  let out = '';
  for (; i < argv.length; i++) {
    const e = expandEscapes(argv[i], 'b', 'dash');
    out += e.text;
    if (e.stop) {
      sh.out(out);
      return 0;
    }
    if (i + 1 < argv.length) out += ' ';
  }
  sh.out(nl ? out + '\n' : out);
  return 0;
}

function* printf(sh: Shell, argv: string[]): Gen<number> {
  const [, first] = yield* nextopt(sh, argv, '');
  const format = argv[first];
  if (format === undefined) throw yield* sh.error('usage: printf format [arg ...]');
  const r = printfFormat(format, argv.slice(first + 1), 'dash');
  sh.out(r.out);
  for (let i = 0; i < r.errors.length; i++) {
    const msg = r.errors[i];
    if (/invalid directive$/.test(msg)) throw yield* sh.error(msg);
    yield* sh.warn(msg);
  }
  return r.status;
}

function* test(sh: Shell, argv: string[]): Gen<number> {
  const args = argv.slice(1);
  if (argv[0] === '[') {
    const last = args.pop();
    if (last === undefined || last[0] !== ']') throw yield* sh.error('missing ]');
  }
  try {
    return yield* evalTest(args);
  } catch (e) {
    if (e instanceof TestError) throw yield* sh.error(e.message);
    throw e;
  }
}

/** The physical current directory (getcwd), or null. */
export function* physdir(): Gen<string | null> {
  const r = yield* sys.getcwd();
  return r instanceof SysError ? null : r;
}

/** The logical current directory: $PWD-like `curdir`, or the physical one. */
export function* getpwd(sh: Shell): Gen<string> {
  if (sh.curdir !== null) return sh.curdir;
  const p = yield* physdir();
  sh.curdir = p;
  return p ?? '';
}

function* pwd(sh: Shell, argv: string[]): Gen<number> {
  const [opts] = yield* nextopt(sh, argv, 'LP');
  const physical = opts[opts.length - 1] === 'P';
  if (physical) {
    const p = yield* physdir();
    if (p === null) throw yield* sh.error('getcwd() failed');
    sh.out(p + '\n');
    return 0;
  }
  sh.out((yield* getpwd(sh)) + '\n');
  return 0;
}

/** dash's updatepwd(): the logical path of `dir` relative to curdir, with `.` and `..` resolved textually. */
function updatepwd(curdir: string | null, dir: string): string | null {
  let base: string[];
  if (dir.startsWith('/')) base = [];
  else if (curdir === null) return null;
  else base = curdir.split('/').filter((c) => c !== '');
  for (const c of dir.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') base.pop();
    else base.push(c);
  }
  return '/' + base.join('/');
}

/** Changes directory (dash's docd). Returns false on failure. */
function* docd(sh: Shell, dest: string, physical: boolean): Gen<boolean> {
  let dir: string | null = null;
  let target = dest;
  if (!physical) {
    dir = updatepwd(sh.curdir, dest);
    if (dir !== null) target = dir;
  }
  const r = yield* sys.chdir(target);
  if (r instanceof SysError) return false;
  const old = sh.curdir;
  if (physical || dir === null) dir = yield* physdir();
  sh.curdir = dir;
  yield* sh.setVar('OLDPWD', old ?? '', V_EXPORT);
  yield* sh.setVar('PWD', dir ?? '', V_EXPORT);
  sh.hash.forEach((v, k) => {
    if (!v.path.startsWith('/')) sh.hash.delete(k);
  });
  return true;
}

function* cd(sh: Shell, argv: string[]): Gen<number> {
  const [opts, first] = yield* nextopt(sh, argv, 'LP');
  const physical = opts[opts.length - 1] === 'P';
  let print = false;
  let dest: string | undefined = argv[first];
  if (dest === undefined) dest = sh.vars.get('HOME');
  else if (dest === '-') {
    dest = sh.vars.get('OLDPWD');
    print = true;
  }
  if (dest === undefined) dest = '';
  let direct = dest.startsWith('/');
  if (!direct && dest.startsWith('.')) {
    direct = /^\.\.?(\/|$)/.test(dest);
  }
  if (dest === '') dest = '.';
  if (!direct) {
    const cdpath = sh.vars.get('CDPATH');
    if (cdpath !== undefined) {
      for (const entry of cdpath.split(':')) {
        const p = entry === '' ? dest : `${entry}/${dest}`;
        const st = yield* sys.stat(p);
        if (!(st instanceof SysError) && isDir(st.mode)) {
          if (entry !== '') print = true;
          if (!(yield* docd(sh, p, physical))) throw yield* sh.error(`can't cd to ${dest}`);
          if (print) sh.out((sh.curdir ?? '') + '\n');
          return 0;
        }
      }
    }
  }
  if (!(yield* docd(sh, dest, physical))) throw yield* sh.error(`can't cd to ${dest}`);
  if (print) sh.out((sh.curdir ?? '') + '\n');
  return 0;
}

export const basicBuiltins: Builtin[] = [
  ...def(':', '-s', colon),
  ...def('true', '', colon),
  ...def('false', '', falsecmd),
  ...def('echo', '', echo),
  ...def('printf', '', printf),
  ...def('test [', '', test),
  ...def('pwd', '', pwd),
  ...def('cd chdir', '', cd),
];
