/**
 * dash's parse tree (nodes.c.pat in dash): the shape the evaluator walks. The
 * adapter (parse.ts) builds it from unbash's bash AST, keeping dash's semantics:
 * words are lists of parts that remember which characters were quoted, so that
 * field splitting and pathname expansion can tell `$x` from `"$x"` and `*` from `"*"`.
 *
 * Nodes are immutable once built and shared between a shell and its forked
 * children (a child copies interpreter state, never the tree).
 */

/** Node kinds (dash's NCMD, NPIPE, NAND, …). */
export const enum K {
  Cmd,
  Pipe,
  And,
  Or,
  Seq,
  Not,
  Bg,
  If,
  While,
  Until,
  For,
  Case,
  Sub,
  Redir,
  Defun,
}

/** Word part kinds. */
export const enum P {
  /** Unquoted literal text: subject to pathname expansion, never to field splitting. */
  Lit,
  /** Quoted literal text (single quotes, double quotes, backslash). */
  QLit,
  /** A parameter expansion: $x, ${x-w}, ${#x}, … */
  Param,
  /** A command substitution: $(…) or `…`. */
  CmdSub,
  /** An arithmetic expansion: $((…)). */
  Arith,
}

export interface LitPart {
  readonly k: P.Lit | P.QLit;
  readonly s: string;
}

/**
 * A parameter expansion. `op` is dash's VSTYPE: '' plain, '-' '+' '=' '?' with
 * `colon` for the `:` forms, '#' '##' '%' '%%' for pattern removal, 'len' for
 * ${#x}, 'bad' for a form dash does not know (raises "Bad substitution" when expanded).
 */
export interface ParamPart {
  readonly k: P.Param;
  readonly name: string;
  readonly op: '' | '-' | '+' | '=' | '?' | '#' | '##' | '%' | '%%' | 'len' | 'bad';
  readonly colon: boolean;
  readonly arg: Word | null;
  /** Inside double quotes (or a here-document): no field splitting or globbing of the value. */
  readonly q: boolean;
}

export interface CmdSubPart {
  readonly k: P.CmdSub;
  /** The parsed command; null for an empty `$()`. */
  readonly body: Node | null;
  readonly q: boolean;
}

export interface ArithPart {
  readonly k: P.Arith;
  /** The expression text, expanded as in double quotes before it is evaluated. */
  readonly expr: Word;
  readonly q: boolean;
}

export type Part = LitPart | ParamPart | CmdSubPart | ArithPart;

/** A word: its parts and its source text (for `set -x`-free uses such as `jobs`). */
export interface Word {
  readonly parts: readonly Part[];
  readonly raw: string;
  /**
   * Fast path: the word's value when it is one unquoted literal with no character
   * that expansion could change (no glob character, no leading `~`); otherwise null.
   */
  readonly lit: string | null;
  /** True when the source has an unquoted `name=` prefix (an assignment-like argument of export/local/readonly). */
  readonly assignLike: boolean;
}

/** A redirection operator (dash's NTO, NCLOBBER, NAPPEND, NFROM, NFROMTO, NTOFD, NFROMFD, NHERE, NXHERE). */
export type RedirOp = '>' | '>|' | '>>' | '<' | '<>' | '>&' | '<&' | '<<' | '<<-';

export interface Redirection {
  readonly op: RedirOp;
  readonly fd: number;
  /** The file name or descriptor word; for a here-document, its body (expanded unless the delimiter was quoted). */
  readonly target: Word;
  /** Here-document whose delimiter was quoted: the body is used as is. */
  readonly hereLiteral?: boolean;
}

export interface Cmd {
  readonly k: K.Cmd;
  readonly line: number;
  readonly assigns: readonly Word[];
  readonly args: readonly Word[];
  readonly redirs: readonly Redirection[];
}

export interface Pipe {
  readonly k: K.Pipe;
  readonly cmds: readonly Node[];
}

export interface AndOr {
  readonly k: K.And | K.Or;
  readonly left: Node;
  readonly right: Node;
}

export interface Seq {
  readonly k: K.Seq;
  readonly list: readonly Node[];
}

export interface Not {
  readonly k: K.Not;
  readonly body: Node;
}

export interface Bg {
  readonly k: K.Bg;
  readonly body: Node;
  readonly line: number;
}

export interface If {
  readonly k: K.If;
  readonly cond: Node;
  readonly then: Node;
  readonly else_: Node | null;
}

export interface Loop {
  readonly k: K.While | K.Until;
  readonly cond: Node;
  readonly body: Node;
}

export interface For {
  readonly k: K.For;
  readonly line: number;
  readonly name: string;
  /** null: `for x` without `in` (iterates over "$@"). */
  readonly words: readonly Word[] | null;
  readonly body: Node;
}

export interface CaseItem {
  readonly pats: readonly Word[];
  readonly body: Node | null;
}

export interface Case {
  readonly k: K.Case;
  readonly line: number;
  readonly word: Word;
  readonly items: readonly CaseItem[];
}

/** A subshell `( … )` with its redirections. */
export interface Sub {
  readonly k: K.Sub;
  readonly line: number;
  readonly body: Node;
  readonly redirs: readonly Redirection[];
}

/** A compound command with redirections (`{ …; } >f`, `while …; done <f`). */
export interface Redir {
  readonly k: K.Redir;
  readonly line: number;
  readonly body: Node;
  readonly redirs: readonly Redirection[];
}

export interface Defun {
  readonly k: K.Defun;
  readonly line: number;
  readonly name: string;
  readonly body: Node;
}

export type Node = Cmd | Pipe | AndOr | Seq | Not | Bg | If | Loop | For | Case | Sub | Redir | Defun;

/** A syntax error: dash's message (without the "Syntax error: " prefix when `bare`) and its line. */
export class ShellSyntaxError {
  constructor(
    readonly message: string,
    readonly line: number,
  ) {}
}
