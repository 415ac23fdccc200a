/**
 * dash's entry point (main.c, options.c procargs): sets up the variables from the
 * environment (exported, in environment order, after dash's built-in IFS, PATH,
 * PS1 (`# ` for root), PS2, PS4, OPTIND), PPID and PWD; reads the options
 * (`-c string [name [args]]`, a script file, `-s`, `-i`, `-e`, `-x`, `-o name`, …);
 * catches SIGINT and SIGCHLD; takes the terminal for job control when interactive
 * on a tty; then runs the `-c` string, the file, or standard input, and exits with
 * the last status (running the EXIT trap).
 */
import * as sys from '../../lib/sys.js';
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { O_RDONLY } from '../../../kernel/vfs/types.js';
import { readFile } from '../../lib/io.js';
import { Shell, ShellError, ExitShell, OPTION_NAMES, initIdentity, type Options, type Gen } from './shell.js';
import { V_EXPORT } from './vars.js';
import { JobTable } from './jobs.js';
import { initSignals, exitShell } from './trap.js';
import { parseCached, runInput, runParsed } from './main-loop.js';
import { isatty, setjobctl } from './job-control.js';
import { physdir } from './builtins/basic.js';
import { DEFPATH } from './command.js';

/** dash's variables that exist before the environment is imported (var.c varinit). */
function initVars(sh: Shell, envp: readonly string[], euid: number): void {
  const v = sh.vars;
  v.set('IFS', ' \t\n');
  v.setFlags('MAIL', 0);
  v.setFlags('MAILPATH', 0);
  v.set('PATH', DEFPATH);
  v.set('PS1', euid === 0 ? '# ' : '$ ');
  v.set('PS2', '> ');
  v.set('PS4', '+ ');
  v.set('OPTIND', '1');
  for (const e of envp) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(e);
    if (m) v.set(m[1], e.slice(m[0].length), V_EXPORT);
  }
}


interface CmdLine {
  minusc: string | null;
  file: string | null;
  login: boolean;
  /** Options given on the command line (others take defaults). */
  given: Set<keyof Options>;
}

/** Parses the command line (dash's procargs). */
function* procargs(sh: Shell, argv: readonly string[]): Gen<CmdLine> {
  let i = 1;
  let cflag = false;
  let login = (argv[0] ?? '').startsWith('-');
  const given = new Set<keyof Options>();
  const set = function* (c: string, on: boolean): Gen<void> {
    const entry = OPTION_NAMES.find(([k]) => k === c);
    if (!entry || entry[0] === null) throw yield* sh.error(`Illegal option ${on ? '-' : '+'}${c}`);
    sh.opts[entry[0]] = on;
    given.add(entry[0]);
  };
  while (i < argv.length) {
    const a = argv[i];
    const c0 = a[0];
    if (c0 !== '-' && c0 !== '+') break;
    i++;
    const on = c0 === '-';
    if (on && (a === '-' || a === '--')) break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'c' && on) cflag = true;
      else if (c === 'l') login = true;
      else if (c === 'o') {
        const name = argv[i];
        if (name !== undefined) {
          const entry = OPTION_NAMES.find(([, n]) => n === name);
          if (!entry) throw yield* sh.error(`Illegal option -o ${name}`);
          if (entry[0] !== null) {
            sh.opts[entry[0]] = on;
            given.add(entry[0]);
          }
          i++;
        }
      } else yield* set(c, on);
    }
  }
  let minusc: string | null = null;
  let file: string | null = null;
  if (cflag) {
    if (i >= argv.length) throw yield* sh.error('-c requires an argument');
    minusc = argv[i++];
    if (i < argv.length) sh.arg0 = argv[i++];
  } else if (i < argv.length && !sh.opts.s) {
    file = argv[i++];
  } else {
    sh.opts.s = true;
  }
  sh.params = argv.slice(i);
  return { minusc, file, login, given };
}


/** Runs a profile file if it exists (dash's read_profile). */
function* readProfile(sh: Shell, path: string): Gen<void> {
  const text = yield* readFile(path);
  if (text instanceof SysError) return;
  yield* runParsed(sh, parseCached(text), 0);
}

/** dash: the program's main. */
export function* dashMain({ argv, envp }: ProgramArgs): Program {
  const sh = new Shell();
  sh.jobs = new JobTable();
  sh.hookVars();
  sh.arg0 = argv[0] ?? 'sh';
  yield* initIdentity(sh);
  const euid = yield* sys.geteuid();
  initVars(sh, envp, typeof euid === 'number' ? euid : 0);
  sh.vars.set('PPID', String(sh.ppid));
  // PWD: kept from the environment if it names the current directory, else getcwd().
  const envPwd = sh.vars.get('PWD');
  const here = yield* sys.stat('.');
  let pwd: string | null = null;
  if (envPwd !== undefined && envPwd.startsWith('/') && !(here instanceof SysError)) {
    const st = yield* sys.stat(envPwd);
    if (!(st instanceof SysError) && st.dev === here.dev && st.ino === here.ino) pwd = envPwd;
  }
  if (pwd === null) pwd = yield* physdir();
  sh.curdir = pwd;
  if (pwd !== null) sh.vars.set('PWD', pwd, V_EXPORT);

  let status = 0;
  try {
    let cmd: CmdLine;
    try {
      cmd = yield* procargs(sh, argv);
    } catch (e) {
      if (e instanceof ShellError) return 2;
      throw e;
    }
    if (!cmd.given.has('i') && sh.opts.s && (yield* isatty(0)) && (yield* isatty(1))) sh.opts.i = true;
    if (!cmd.given.has('m')) sh.opts.m = sh.opts.i;
    sh.catchInt = sh.opts.i || cmd.minusc !== null || !sh.opts.s;
    yield* initSignals(sh);
    if (sh.opts.m) {
      if (!(yield* setjobctl(sh))) {
        sh.opts.m = false;
        if (sh.opts.i) {
          const save = sh.lineno;
          sh.lineno = 0;
          yield* sh.warn("can't access tty; job control turned off");
          sh.lineno = save;
        }
      }
    }
    if (cmd.login) {
      yield* readProfile(sh, '/etc/profile');
      const home = sh.vars.get('HOME');
      if (home) yield* readProfile(sh, `${home}/.profile`);
    }
    if (sh.opts.i) {
      const env = sh.vars.get('ENV');
      if (env) yield* readProfile(sh, env);
    }
    if (cmd.minusc !== null) {
      yield* runParsed(sh, parseCached(cmd.minusc), 0);
      status = sh.status;
    } else if (cmd.file !== null) {
      const fd = yield* sys.open(cmd.file, O_RDONLY);
      if (fd instanceof SysError) {
        const why = fd.errno === 'ENOENT' || fd.errno === 'ENOTDIR' ? 'No such file' : fd.message;
        sh.lineno = 0;
        yield* sh.warn(`cannot open ${cmd.file}: ${why}`);
        return yield* exitShell(sh, 2);
      }
      sh.arg0 = cmd.file;
      status = yield* runInput(sh, fd);
    } else {
      status = yield* runInput(sh, 0);
    }
    status = sh.status;
  } catch (e) {
    if (e instanceof ExitShell) status = e.status;
    else if (e instanceof ShellError) status = e.status;
    else throw e;
  }
  return yield* exitShell(sh, status);
}
