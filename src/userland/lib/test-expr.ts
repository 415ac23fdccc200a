/**
 * test(1) / `[` expression evaluation (POSIX XCU test), as dash's builtin does it:
 * the POSIX rules for 3 and 4 arguments first, then the grammar
 *
 *   oexpr ::= aexpr | aexpr -o oexpr     aexpr ::= nexpr | nexpr -a aexpr
 *   nexpr ::= primary | ! primary        primary ::= unop operand | operand binop operand
 *                                                   | operand | ( oexpr )
 *
 * with the file tests answered by stat(2), lstat(2) and faccessat(2) (effective
 * ids), `-t` by a TCGETS ioctl, and integers compared as intmax_t. Shared by
 * dash's `test`/`[` builtins and coreutils' /usr/bin/test and /usr/bin/[.
 */
import * as sys from './sys.js';
import type { Op } from '../../kernel/proc/program.js';
import { SysError } from '../../kernel/errno.js';
import { TCGETS } from '../../kernel/syscalls/abi.js';
import { AT_EACCESS, AT_FDCWD, R_OK, W_OK, X_OK, S_IFMT, S_IFREG, S_IFDIR, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK, S_IFLNK, S_ISUID, S_ISGID, S_ISVTX, type Stat } from '../../kernel/vfs/types.js';

type Gen<T> = Generator<Op, T, unknown>;

/** A syntax or number error: the message to print after "test: " (status 2). */
export class TestError {
  constructor(readonly message: string) {}
}

const UNOP = 0;
const BINOP = 1;
const BUNOP = 2;
const BBINOP = 3;
const PAREN = 4;

const OPS: Record<string, number> = {
  '-r': UNOP, '-w': UNOP, '-x': UNOP, '-e': UNOP, '-f': UNOP, '-d': UNOP, '-c': UNOP, '-b': UNOP,
  '-p': UNOP, '-u': UNOP, '-g': UNOP, '-k': UNOP, '-s': UNOP, '-t': UNOP, '-z': UNOP, '-n': UNOP,
  '-h': UNOP, '-O': UNOP, '-G': UNOP, '-L': UNOP, '-S': UNOP,
  '=': BINOP, '!=': BINOP, '<': BINOP, '>': BINOP, '-eq': BINOP, '-ne': BINOP, '-ge': BINOP,
  '-gt': BINOP, '-le': BINOP, '-lt': BINOP, '-nt': BINOP, '-ot': BINOP, '-ef': BINOP,
  '!': BUNOP, '-a': BBINOP, '-o': BBINOP, '(': PAREN, ')': PAREN,
};

const EOI = 'EOI';
const OPERAND = 'OPERAND';

const INT_MAX = (1n << 63n) - 1n;
const INT_MIN = -(1n << 63n);

/** dash's atomax10: a decimal intmax_t with optional blanks around it, else "Illegal number". */
function getn(s: string): bigint {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)[ \t\n\v\f\r]*$/.exec(s);
  if (!m) throw new TestError(`Illegal number: ${s}`);
  const v = BigInt(m[1]);
  if (v > INT_MAX || v < INT_MIN) throw new TestError(`Illegal number: ${s}`);
  return v;
}

class Evaluator {
  /** Index of the current word in `w` (dash's t_wp). */
  private p = 0;
  /** The operator type of the last lexed word, or -1 (dash's t_wp_op). */
  private opType = -1;
  private opText = '';

  constructor(private readonly w: readonly string[]) {}

  private lex(i: number): string {
    const s = this.w[i];
    if (s === undefined) {
      this.opType = -1;
      return EOI;
    }
    const t = OPS[s];
    if (t !== undefined && !(t === UNOP && this.isoperand(i)) && !(s === '(' && this.w[i + 1] === undefined)) {
      this.opType = t;
      this.opText = s;
      return s;
    }
    this.opType = -1;
    return OPERAND;
  }

  private isoperand(i: number): boolean {
    if (this.w[i + 1] === undefined) return true;
    if (this.w[i + 2] === undefined) return false;
    return OPS[this.w[i + 1]] === BINOP;
  }

  *run(start: number, first: string | null): Gen<boolean> {
    this.p = start;
    const n = first ?? this.lex(start);
    const r = yield* this.oexpr(n);
    if (this.w[this.p] !== undefined && this.w[this.p + 1] !== undefined) throw new TestError(`${this.w[this.p]}: unexpected operator`);
    return r;
  }

  private *oexpr(n: string): Gen<boolean> {
    let res = false;
    for (;;) {
      if (yield* this.aexpr(n)) res = true;
      n = this.lex(this.p + 1);
      if (n !== '-o') break;
      this.p += 2;
      n = this.lex(this.p);
    }
    return res;
  }

  private *aexpr(n: string): Gen<boolean> {
    let res = true;
    for (;;) {
      if (!(yield* this.nexpr(n))) res = false;
      n = this.lex(this.p + 1);
      if (n !== '-a') break;
      this.p += 2;
      n = this.lex(this.p);
    }
    return res;
  }

  private *nexpr(n: string): Gen<boolean> {
    if (n !== '!') return yield* this.primary(n);
    n = this.lex(this.p + 1);
    if (n !== EOI) this.p++;
    return !(yield* this.nexpr(n));
  }

  private *primary(n: string): Gen<boolean> {
    if (n === EOI) return false;
    if (n === '(') {
      const nn = this.lex(++this.p);
      if (nn === ')') return false;
      const res = yield* this.oexpr(nn);
      if (this.lex(++this.p) !== ')') throw new TestError('closing paren expected');
      return res;
    }
    if (this.opType === UNOP) {
      const op = this.opText;
      const arg = this.w[++this.p];
      if (arg === undefined) throw new TestError(`${op}: argument expected`);
      return yield* unary(op, arg);
    }
    this.lex(this.p + 1);
    if (this.opType === BINOP) return yield* this.binop();
    return this.w[this.p].length > 0;
  }

  private *binop(): Gen<boolean> {
    const a = this.w[this.p];
    this.lex(++this.p);
    const op = this.opText;
    const b = this.w[++this.p];
    if (b === undefined) throw new TestError(`${op}: argument expected`);
    switch (op) {
      case '=':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '>':
        return a > b;
      case '-eq':
        return getn(a) === getn(b);
      case '-ne':
        return getn(a) !== getn(b);
      case '-ge':
        return getn(a) >= getn(b);
      case '-gt':
        return getn(a) > getn(b);
      case '-le':
        return getn(a) <= getn(b);
      case '-lt':
        return getn(a) < getn(b);
      case '-nt': {
        const s1 = yield* statOf(a);
        if (!s1) return false;
        const s2 = yield* statOf(b);
        return !s2 || s1.mtimeNs > s2.mtimeNs;
      }
      case '-ot': {
        const s2 = yield* statOf(b);
        if (!s2) return false;
        const s1 = yield* statOf(a);
        return !s1 || s1.mtimeNs < s2.mtimeNs;
      }
      default: {
        const s1 = yield* statOf(a);
        const s2 = yield* statOf(b);
        return !!s1 && !!s2 && s1.dev === s2.dev && s1.ino === s2.ino;
      }
    }
  }
}

function* statOf(path: string, link = false): Gen<Stat | null> {
  const st = link ? yield* sys.lstat(path) : yield* sys.stat(path);
  return st instanceof SysError ? null : st;
}

function* access(path: string, mode: number): Gen<boolean> {
  const r = yield* sys.faccessat(AT_FDCWD, path, mode, AT_EACCESS);
  return !(r instanceof SysError);
}

function* unary(op: string, arg: string): Gen<boolean> {
  switch (op) {
    case '-z':
      return arg.length === 0;
    case '-n':
      return arg.length !== 0;
    case '-t': {
      const fd = Number(getn(arg));
      const r = yield* sys.ioctl(fd, TCGETS);
      return !(r instanceof SysError);
    }
    case '-r':
      return yield* access(arg, R_OK);
    case '-w':
      return yield* access(arg, W_OK);
    case '-x':
      return yield* access(arg, X_OK);
    default:
      break;
  }
  const st = yield* statOf(arg, op === '-h' || op === '-L');
  if (!st) return false;
  const fmt = st.mode & S_IFMT;
  switch (op) {
    case '-e':
      return true;
    case '-f':
      return fmt === S_IFREG;
    case '-d':
      return fmt === S_IFDIR;
    case '-c':
      return fmt === S_IFCHR;
    case '-b':
      return fmt === S_IFBLK;
    case '-p':
      return fmt === S_IFIFO;
    case '-S':
      return fmt === S_IFSOCK;
    case '-h':
    case '-L':
      return fmt === S_IFLNK;
    case '-u':
      return (st.mode & S_ISUID) !== 0;
    case '-g':
      return (st.mode & S_ISGID) !== 0;
    case '-k':
      return (st.mode & S_ISVTX) !== 0;
    case '-s':
      return st.size > 0;
    case '-O': {
      const euid = yield* sys.geteuid();
      return st.uid === euid;
    }
    case '-G': {
      const egid = yield* sys.getegid();
      return st.gid === egid;
    }
    default:
      return true;
  }
}

/**
 * Evaluates test's operands (argv without the command name; for `[` without the
 * closing `]`, which the caller checks). Returns the exit status: 0 true, 1 false.
 * Throws TestError for a syntax error or a bad number (status 2).
 */
export function* evalTest(args: readonly string[]): Gen<number> {
  let argv = args.slice();
  let res = 1;
  for (;;) {
    const argc = argv.length;
    if (argc < 1) return res;
    if (argc === 3 && OPS[argv[1]] === BINOP) {
      const ev = new Evaluator(argv);
      return (yield* ev.run(0, OPERAND)) ? res ^ 1 : res;
    }
    if (argc === 3 || argc === 4) {
      if (argv[0] === '(' && argv[argc - 1] === ')') {
        argv = argv.slice(1, argc - 1);
      } else if (argv[0] === '!') {
        res = 0;
        argv = argv.slice(1);
        continue;
      }
    }
    break;
  }
  const ev = new Evaluator(argv);
  return (yield* ev.run(0, null)) ? res ^ 1 : res;
}
