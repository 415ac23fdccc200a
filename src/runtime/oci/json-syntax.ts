/**
 * Locates the first syntax error in a JSON text (RFC 8259), with line and column.
 *
 * `JSON.parse` says only "at position N", and its wording changes between Node
 * versions; this scanner gives a stable, human message instead ("expected ',' or '}'
 * after a property value, found ']'") for the user's config.json or process.json.
 * It is a recognizer only: values are built by `JSON.parse` once this finds nothing.
 */

/** The first error in a JSON text. */
export interface JsonSyntaxError {
  /** 1-based line. */
  line: number;
  /** 1-based column, in characters (code points). */
  column: number;
  /** What was expected and what was found, e.g. `expected a JSON value, found "]"`. */
  message: string;
}

class SyntaxStop {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

/** The first syntax error in `text`, or null when it is one valid JSON value. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const s = new Scanner(text);
  try {
    s.ws();
    s.value();
    s.ws();
    if (s.i < text.length) throw new SyntaxStop(s.i, 'the end of the document after the top-level value');
    return null;
  } catch (e) {
    if (!(e instanceof SyntaxStop)) throw e;
    return position(text, e.offset, `expected ${e.expected}, found ${describeAt(text, e.offset)}`);
  }
}

function describeAt(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the file';
  const cp = text.codePointAt(offset)!;
  if (cp < 0x20) return `control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return JSON.stringify(String.fromCodePoint(cp));
}

function position(text: string, offset: number, message: string): JsonSyntaxError {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
      column = 1;
    } else if (c < 0xdc00 || c > 0xdfff) {
      column++; // a low surrogate continues the previous code point
    }
  }
  return { line, column, message };
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class Scanner {
  i = 0;
  constructor(private readonly t: string) {}

  ws(): void {
    while (this.i < this.t.length && WS.has(this.t.charCodeAt(this.i))) this.i++;
  }

  private peek(): string {
    return this.t[this.i] ?? '';
  }

  value(): void {
    const c = this.peek();
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (c === word[0]) {
        for (let k = 0; k < word.length; k++) {
          if (this.t[this.i + k] !== word[k]) throw new SyntaxStop(this.i + k, `the literal ${word}`);
        }
        this.i += word.length;
        return;
      }
    }
    throw new SyntaxStop(this.i, 'a JSON value (object, array, string, number, true, false or null)');
  }

  private object(): void {
    this.i++; // {
    this.ws();
    if (this.peek() === '}') {
      this.i++;
      return;
    }
    for (let first = true; ; first = false) {
      if (this.peek() !== '"') {
        throw new SyntaxStop(this.i, first ? `a property name in double quotes or '}'` : 'a property name in double quotes');
      }
      this.string();
      this.ws();
      if (this.peek() !== ':') throw new SyntaxStop(this.i, `':' after a property name`);
      this.i++;
      this.ws();
      this.value();
      this.ws();
      const c = this.peek();
      this.i++;
      if (c === '}') return;
      if (c !== ',') throw new SyntaxStop(this.i - 1, `',' or '}' after a property value`);
      this.ws();
    }
  }

  private array(): void {
    this.i++; // [
    this.ws();
    if (this.peek() === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.ws();
      const c = this.peek();
      this.i++;
      if (c === ']') return;
      if (c !== ',') throw new SyntaxStop(this.i - 1, `',' or ']' after an array element`);
      this.ws();
    }
  }

  private string(): void {
    this.i++; // opening quote
    for (;;) {
      if (this.i >= this.t.length) throw new SyntaxStop(this.i, 'a closing \'"\'');
      const c = this.t.charCodeAt(this.i);
      if (c === 0x22) {
        this.i++;
        return;
      }
      if (c < 0x20) throw new SyntaxStop(this.i, 'a string character (control characters must be escaped, e.g. \\n)');
      if (c === 0x5c) {
        const e = this.t[this.i + 1] ?? '';
        if (e === 'u') {
          for (let k = 2; k < 6; k++) {
            if (!/[0-9A-Fa-f]/.test(this.t[this.i + k] ?? '')) throw new SyntaxStop(this.i + k, 'four hex digits after \\u');
          }
          this.i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e) || e === '') throw new SyntaxStop(this.i + 1, 'an escape: one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX');
        this.i += 2;
        continue;
      }
      this.i++;
    }
  }

  private number(): void {
    const digits = (): number => {
      const start = this.i;
      while (this.peek() >= '0' && this.peek() <= '9' && this.peek() !== '') this.i++;
      return this.i - start;
    };
    if (this.peek() === '-') this.i++;
    if (this.peek() === '0') this.i++;
    else if (digits() === 0) throw new SyntaxStop(this.i, 'a digit');
    if (this.peek() === '.') {
      this.i++;
      if (digits() === 0) throw new SyntaxStop(this.i, 'a digit after the decimal point');
    }
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.i++;
      if (this.peek() === '+' || this.peek() === '-') this.i++;
      if (digits() === 0) throw new SyntaxStop(this.i, 'a digit in the exponent');
    }
  }
}
