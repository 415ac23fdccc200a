/**
 * A read position in one piece of a sed script (one -e argument, one -f file, or the
 * script operand), and the place GNU sed names in its compile errors:
 *
 *     sed: -e expression #2, char 7: unterminated `s' command
 *     sed: file fix.sed line 3: unknown command: `k'
 *
 * "char N" counts the characters consumed so far, the offending one included; a
 * character looked at and given back (a terminator the caller did not want) does not
 * count, and reaching the end consumes nothing. "line N" is one more than the number
 * of newlines consumed.
 */
import { EXIT_BAD_USAGE, SedError } from './sed-program.js';

/** Where a script piece came from. */
export type ScriptOrigin = { readonly kind: 'expression'; readonly index: number } | { readonly kind: 'file'; readonly name: string };

/** The end of a script piece, as `next()` reports it. */
export const END = '';

/** Characters sed skips between the parts of a command (not newlines: they end commands). */
export function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\r';
}

/** The location prefix of a message about `origin` at `char`/`line`. */
export function describeLocation(origin: ScriptOrigin, char: number, line: number): string {
  return origin.kind === 'expression' ? `-e expression #${origin.index}, char ${char}` : `file ${origin.name} line ${line}`;
}

export class ScriptCursor {
  /** Characters consumed. Invariant: 0 <= pos <= text.length. */
  private pos = 0;
  /** The last next() hit the end, so back() has nothing to give back. */
  private atEnd = false;

  constructor(
    readonly text: string,
    readonly origin: ScriptOrigin,
  ) {}

  /** The next character, or END. */
  next(): string {
    if (this.pos >= this.text.length) {
      this.atEnd = true;
      return END;
    }
    this.atEnd = false;
    return this.text[this.pos++];
  }

  /** The next character without consuming it. */
  peek(): string {
    return this.pos < this.text.length ? this.text[this.pos] : END;
  }

  /** Gives back the character the last next() returned. */
  back(): void {
    if (!this.atEnd && this.pos > 0) this.pos--;
    this.atEnd = false;
  }

  /** Consumes blanks (not newlines). */
  skipBlanks(): void {
    while (isBlank(this.peek())) this.pos++;
  }

  /** Whether everything has been consumed. */
  get exhausted(): boolean {
    return this.pos >= this.text.length;
  }

  /** Newlines consumed plus one. */
  get line(): number {
    let n = 1;
    for (let i = 0; i < this.pos; i++) if (this.text.charCodeAt(i) === 10) n++;
    return n;
  }

  /** "-e expression #N, char P" or "file F line L" for the current position. */
  where(): string {
    return describeLocation(this.origin, this.pos, this.line);
  }

  /** A compile error at the current position (exit status 1). */
  error(message: string): SedError {
    return new SedError(`${this.where()}: ${message}`, EXIT_BAD_USAGE);
  }
}
