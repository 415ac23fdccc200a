/**
 * The compiled form of a sed(1) script as this model holds it: a flat list of
 * commands, each with an optional line selection, that the engine walks with a
 * program counter. Blocks (`{ … }`) and branches (`b t T`) are resolved to indexes
 * into that list when the whole script has been read.
 *
 *     "2,/x/{s/a/b/g;p}"  ──▶  [0] enterBlock  sel=2,/x/  skipTo=3
 *                              [1] substitute  /a/ → "b"  global
 *                              [2] print
 *                              [3] leaveBlock
 *
 * Text is bytes (latin1 strings), as everywhere in ctsim's userland.
 */
import type { PosixRegex } from '../../lib/posix-regex.js';
import type { OutBuffer } from '../../lib/out-buffer.js';

/** Exit statuses of GNU sed: bad script (1), an input file could not be read (2), I/O or runtime failure (4). */
export const EXIT_BAD_USAGE = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_PANIC = 4;

/** A failure that ends sed with `status` after printing `sed: message`. */
export class SedError {
  constructor(
    readonly message: string,
    readonly status: number,
  ) {}
}

/** A compiled regular expression with the flags it was compiled with. */
export interface SedPattern {
  readonly regex: PosixRegex;
  /** Number of groups, for checking `\N` in a replacement. */
  readonly groups: number;
}

/**
 * What one address selects. `pattern: null` is the empty regex `//`, which means
 * "the regex used last at run time".
 */
export type LineTest =
  | { readonly kind: 'line'; readonly line: number }
  | { readonly kind: 'last' }
  | { readonly kind: 'pattern'; readonly pattern: SedPattern | null }
  /** `first~step`: lines first, first+step, … (step 0: only `first`). */
  | { readonly kind: 'every'; readonly first: number; readonly step: number }
  /** `0` as the first address of `0,/re/`: the range is open before line 1. */
  | { readonly kind: 'beforeFirst' }
  /** `addr1,+N` (second address only). */
  | { readonly kind: 'followedBy'; readonly count: number }
  /** `addr1,~N` (second address only). */
  | { readonly kind: 'untilMultiple'; readonly of: number };

/**
 * The lines a command applies to, and for a range its run-time state.
 * Invariant: `to` is null unless `from` is set.
 */
export interface Selection {
  readonly from: LineTest | null;
  readonly to: LineTest | null;
  negate: boolean;
  /** Range state: inside the range (its first line has been seen, its last not yet). */
  inside: boolean;
  /** For `+N` and `~N` ranges: the line number at which the open range closes. */
  closeAtLine: number;
}

/** One piece of an `s` replacement. */
export type ReplacementPart =
  | { readonly kind: 'text'; readonly text: string }
  /** `&` (0) or `\1`–`\9`. */
  | { readonly kind: 'group'; readonly index: number }
  /** `\U \L \E`: case of everything that follows; `\u \l`: of the next character only. */
  | { readonly kind: 'case'; readonly op: 'U' | 'L' | 'E' | 'u' | 'l' };

/**
 * An output stream with its own "last line lacked its terminator" flag. Several
 * channels may share one sink: `w /dev/stdout` writes through standard output's
 * buffer but keeps its own flag, as GNU sed's separate output records do.
 */
export interface OutputChannel {
  readonly name: string;
  readonly sink: OutBuffer;
  /** Invariant: true only after a line without its terminator was written here. */
  missingNewline: boolean;
  /** Write through at once (`w` files, and everything under -u). */
  readonly flushEach: boolean;
}

/** Where a `w` command, `W` command or `s///w` flag writes. Shared by every command naming the same file. */
export interface WriteTarget {
  readonly path: string;
  /** Set when the script is compiled (GNU opens w files before reading input). */
  channel: OutputChannel | null;
}

/** A file that `R` reads one line at a time; shared by every `R` naming it. */
export interface LineFeed {
  readonly path: string;
}

/** The substitution of an `s` command. */
export interface Substitution {
  readonly pattern: SedPattern | null;
  readonly replacement: readonly ReplacementPart[];
  /** Replace every match from the `occurrence`th on (the `g` flag). */
  readonly global: boolean;
  /** Which match to replace first (the number flag; 1 when absent). */
  readonly occurrence: number;
  /** `p` flags before and after `e` (GNU prints at each place one appears). */
  readonly printBeforeExec: boolean;
  readonly printAfterExec: boolean;
  /** The `e` flag: run the result as a shell command and take its output. */
  readonly execute: boolean;
  readonly write: WriteTarget | null;
}

/** A command of the compiled script. */
export type SedCommand = { sel: Selection | null } & (
  | { readonly op: 'enterBlock'; skipTo: number }
  | { readonly op: 'leaveBlock' }
  | { readonly op: 'label'; readonly name: string }
  /** `b`, `t` (if a substitution succeeded), `T` (if none did); target -1: end of script. */
  | { readonly op: 'jump'; readonly when: 'always' | 'substituted' | 'notSubstituted'; readonly label: string; target: number }
  /** `a` (queued), `i` (now), `c` (replace). Text includes its final newline. */
  | { readonly op: 'text'; readonly how: 'append' | 'insert' | 'change'; readonly text: string }
  | { readonly op: 'substitute'; readonly subst: Substitution }
  | { readonly op: 'transliterate'; readonly table: readonly string[] }
  /** `q` (print first) and `Q`. */
  | { readonly op: 'quit'; readonly print: boolean; readonly status: number }
  /** `l [width]`; null uses -l's width. */
  | { readonly op: 'list'; readonly width: number | null }
  | { readonly op: 'queueFile'; readonly path: string }
  | { readonly op: 'queueLine'; readonly feed: LineFeed }
  /** `w` (whole pattern space) and `W` (its first line). */
  | { readonly op: 'write'; readonly target: WriteTarget; readonly firstLineOnly: boolean }
  /** `e [command]`; an empty command runs the pattern space. */
  | { readonly op: 'shell'; readonly command: string }
  /** A command GNU sed parses but no longer implements (`L`): running it is an internal error. */
  | { readonly op: 'removed'; readonly letter: string }
  /** Commands without arguments, by their letter: = d D F g G h H n N p P x z. */
  | { readonly op: 'simple'; readonly letter: SimpleLetter }
);

export type SimpleLetter = '=' | 'd' | 'D' | 'F' | 'g' | 'G' | 'h' | 'H' | 'n' | 'N' | 'p' | 'P' | 'x' | 'z';

/** Options that change how a script is read. */
export interface ScriptOptions {
  /** -E/-r: EREs (as of when each script piece is added). */
  extended: boolean;
  /** --posix: GNU extensions are errors. */
  posix: boolean;
  /** --sandbox: e, r, w are errors. */
  sandbox: boolean;
}
