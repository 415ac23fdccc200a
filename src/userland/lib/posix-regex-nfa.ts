/**
 * POSIX's leftmost-longest rule (XBD 9.1: "the longest of the leftmost matches"),
 * computed by a Thompson NFA over a parsed regular expression. JavaScript's RegExp
 * picks the first match in priority order instead (`a|ab` on "ab" matches "a"), so
 * where that can differ, the matcher asks this automaton how far the longest match
 * from a given start reaches.
 *
 * Simplification: back-references cannot be expressed by a finite automaton; a
 * pattern that uses them keeps JavaScript's extent (GNU's own matcher backtracks too).
 */
import { WORD_CHARS, type AssertKind, type ReNode } from './posix-regex-parse.js';

const enum Op {
  Set = 0,
  Split = 1,
  Assert = 2,
  Match = 3,
}

interface State {
  op: Op;
  members?: Uint8Array;
  what?: AssertKind;
  out: number;
  out1: number;
}

/** Past this many states the automaton is not built (a{1,30000} would need 30000 copies). */
export const NFA_MAX_STATES = 20000;

class TooBig extends Error {}

/** A Thompson NFA for one regular expression without back-references. */
export class PosixNfa {
  private readonly states: State[] = [];
  private readonly start: number;
  /** Per-state mark of the last step that added it (avoids duplicates and ε-loops). */
  private readonly mark: Int32Array;
  private step = 0;

  private constructor(node: ReNode) {
    const match = this.add({ op: Op.Match, out: -1, out1: -1 });
    this.start = this.build(node, match);
    this.mark = new Int32Array(this.states.length);
  }

  /** The automaton for `node`, or null when it uses back-references or is too large. */
  static build(node: ReNode): PosixNfa | null {
    try {
      return new PosixNfa(node);
    } catch (e) {
      if (e instanceof TooBig) return null;
      throw e;
    }
  }

  private add(s: State): number {
    if (this.states.length >= NFA_MAX_STATES) throw new TooBig();
    this.states.push(s);
    return this.states.length - 1;
  }

  /** Builds the states of `n` followed by state `next`; returns the entry state. */
  private build(n: ReNode, next: number): number {
    switch (n.kind) {
      case 'set':
        return this.add({ op: Op.Set, members: n.members, out: next, out1: -1 });
      case 'assert':
        return this.add({ op: Op.Assert, what: n.what, out: next, out1: -1 });
      case 'group':
        return this.build(n.body, next);
      case 'cat': {
        let cur = next;
        for (let i = n.items.length - 1; i >= 0; i--) cur = this.build(n.items[i], cur);
        return cur;
      }
      case 'alt': {
        let cur = this.build(n.branches[n.branches.length - 1], next);
        for (let i = n.branches.length - 2; i >= 0; i--) {
          const b = this.build(n.branches[i], next);
          cur = this.add({ op: Op.Split, out: b, out1: cur });
        }
        return cur;
      }
      case 'repeat': {
        let cur = next;
        if (n.max === Infinity) {
          const loop = this.add({ op: Op.Split, out: -1, out1: next });
          this.states[loop].out = this.build(n.body, loop);
          cur = loop;
        } else {
          // x{0,k} as (x(x(…)?)?)?: each optional copy may stop and go on to `next`.
          for (let i = n.min; i < n.max; i++) {
            const body = this.build(n.body, cur);
            cur = this.add({ op: Op.Split, out: body, out1: next });
          }
        }
        for (let i = 0; i < n.min; i++) cur = this.build(n.body, cur);
        return cur;
      }
      case 'backref':
        throw new TooBig();
    }
  }

  /**
   * The end of the longest match of the automaton starting at `start` in `s`, or -1 if
   * there is none. `multiline` makes ^ and $ match at embedded newlines (sed's M flag).
   */
  longestEnd(s: string, start: number, multiline = false): number {
    let clist: number[] = [];
    let nlist: number[] = [];
    this.step++;
    this.addState(clist, this.start, s, start, multiline);
    let best = -1;
    for (let pos = start; ; pos++) {
      for (const st of clist) {
        if (this.states[st].op === Op.Match) {
          best = pos;
          break;
        }
      }
      if (pos >= s.length || clist.length === 0) break;
      const c = s.charCodeAt(pos) & 0xff;
      this.step++;
      nlist.length = 0;
      for (const st of clist) {
        const state = this.states[st];
        if (state.op === Op.Set && state.members![c]) this.addState(nlist, state.out, s, pos + 1, multiline);
      }
      [clist, nlist] = [nlist, clist];
    }
    return best;
  }

  /** Adds `st` and everything reachable from it without consuming input at `pos`. */
  private addState(list: number[], st: number, s: string, pos: number, multiline: boolean): void {
    const stack = [st];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (this.mark[i] === this.step) continue;
      this.mark[i] = this.step;
      const state = this.states[i];
      if (state.op === Op.Split) {
        stack.push(state.out1, state.out);
      } else if (state.op === Op.Assert) {
        if (assertionHolds(state.what!, s, pos, multiline)) stack.push(state.out);
      } else {
        list.push(i);
      }
    }
  }
}

function isWordAt(s: string, i: number): boolean {
  return i >= 0 && i < s.length && WORD_CHARS[s.charCodeAt(i) & 0xff] === 1;
}

/** Whether a zero-width assertion holds at position `pos` of `s`. */
export function assertionHolds(what: AssertKind, s: string, pos: number, multiline: boolean): boolean {
  switch (what) {
    case 'bol':
      return pos === 0 || (multiline && s[pos - 1] === '\n');
    case 'eol':
      return pos === s.length || (multiline && s[pos] === '\n');
    case 'bufStart':
      return pos === 0;
    case 'bufEnd':
      return pos === s.length;
    case 'wordBoundary':
      return isWordAt(s, pos - 1) !== isWordAt(s, pos);
    case 'notWordBoundary':
      return isWordAt(s, pos - 1) === isWordAt(s, pos);
    case 'wordStart':
      return !isWordAt(s, pos - 1) && isWordAt(s, pos);
    case 'wordEnd':
      return isWordAt(s, pos - 1) && !isWordAt(s, pos);
    case 'notAfterWord':
      return !isWordAt(s, pos - 1);
    case 'notBeforeWord':
      return !isWordAt(s, pos);
  }
}
