/**
 * dash's syntax error messages, from unbash's errors: unbash says "expected 'fi'
 * to close 'if'" where dash says `"done" unexpected (expecting "fi")` or `end of
 * file unexpected (expecting "fi")`. The token dash names is read from the source
 * at the error ("end of file", "newline", a quoted keyword or operator, or "word").
 */

const OPENERS = new Set(['!', '{', 'case', 'do', 'elif', 'else', 'for', 'if', 'then', 'until', 'while']);
const KEYWORDS = new Set(['!', '{', '}', 'case', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'if', 'in', 'then', 'until', 'while']);

/** The token dash would name at `pos`: "end of file", "newline", a quoted keyword or operator, or "word". */
export function tokenAt(src: string, pos: number): string {
  let i = pos;
  while (i < src.length && (src[i] === ' ' || src[i] === '\t')) i++;
  if (i >= src.length) return 'end of file';
  const c = src[i];
  if (c === '\n') return 'newline';
  const ops = [';;', '&&', '||', '>>', '<<', '<&', '>&', '<>', '>|', ';', '&', '|', '(', ')', '<', '>'];
  for (const op of ops) if (src.startsWith(op, i)) return `"${op}"`;
  let j = i;
  while (j < src.length && !/[\s;&|()<>]/.test(src[j])) j++;
  const w = src.slice(i, j);
  return KEYWORDS.has(w) ? `"${w}"` : 'word';
}

/** The last token ending at or before `pos`: its text and start. */
function lastToken(src: string, pos: number): { text: string; start: number } | null {
  let j = Math.min(pos, src.length);
  while (j > 0 && /\s/.test(src[j - 1])) j--;
  if (j === 0) return null;
  let i = j;
  while (i > 0 && !/[\s;&|()<>]/.test(src[i - 1])) i--;
  if (i === j) return { text: src[j - 1], start: j - 1 };
  return { text: src.slice(i, j), start: i };
}

/** True when the token starting at `start` is where a command name goes (after a separator or a keyword). */
function inCommandPosition(src: string, start: number): boolean {
  let j = start;
  while (j > 0 && (src[j - 1] === ' ' || src[j - 1] === '\t')) j--;
  if (j === 0) return true;
  const c = src[j - 1];
  if (c === ';' || c === '\n' || c === '&' || c === '|' || c === '(') return true;
  const prev = lastToken(src, j);
  return prev !== null && KEYWORDS.has(prev.text) && inCommandPosition(src, prev.start);
}

/** Rewrites unbash's error `e` (the first of `errs`) as dash's message. */
export function dashMessage(src: string, errs: readonly { message: string; pos: number }[], e: { message: string; pos: number }, closer?: string): string {
  const m = e.message;
  const expectingOf = (msg: string): string | null => {
    const x = /^expected '([^']+)' to close '([^']+)'/.exec(msg);
    if (x) return x[2] === 'case' ? ')' : x[1];
    const y = /^expected '([^']+)'(?: after| to|$)/.exec(msg);
    if (y) return y[1];
    if (/^expected '}' to close brace group/.test(msg)) return '}';
    if (/^expected '\)' to close subshell/.test(msg)) return ')';
    return null;
  };
  const later = errs.filter((x) => x !== e && x.pos >= e.pos);
  const laterExpecting = later.map((x) => expectingOf(x.message)).find((x) => x !== null) ?? (closer ?? null);
  const withExp = (what: string, exp: string | null): string => `Syntax error: ${what} unexpected${exp ? ` (expecting "${exp}")` : ''}`;
  if (/^unterminated (double|single) quote/.test(m)) return 'Syntax error: Unterminated quoted string';
  if (/^unterminated parameter expansion/.test(m)) return "Syntax error: Missing '}'";
  if (/^unterminated backtick/.test(m)) return 'Syntax error: EOF in backquote substitution';
  if (/^unterminated arithmetic/.test(m)) return "Syntax error: Missing '))'";
  if (/^unterminated command substitution/.test(m)) return withExp('end of file', ')');
  const tok = tokenAt(src, e.pos);
  const un = /^unexpected token '(.*)'$/.exec(m);
  if (un) return withExp(tok === 'end of file' ? tok : `"${un[1]}"`, laterExpecting);
  const own = expectingOf(m);
  if (own !== null) {
    if (/ to close 'case'/.test(m)) {
      // After a pattern's `)` dash wants the item's `;;`, elsewhere a pattern's `)`.
      const tail = src.slice(0, e.pos);
      const from = Math.max(tail.lastIndexOf(';;') + 2, tail.search(/\bin\b/) + 2);
      return withExp(tok, /\)\s*\S/.test(tail.slice(from)) ? ';;' : ')');
    }
    if (/^expected 'do'$/.test(m) && /(^|[\s;&|])for\s*$/.test(src.slice(0, e.pos))) return 'Syntax error: Bad for loop variable';
    if (/^expected '(then|do)'$/.test(m)) {
      if (tok === 'end of file' && /\bin\s*$/.test(src.slice(0, e.pos))) return withExp(tok, null);
      // dash stops at the first word in command position after the list.
      const prev = lastToken(src, e.pos);
      if (prev && !OPENERS.has(prev.text) && inCommandPosition(src, prev.start)) return withExp(KEYWORDS.has(prev.text) ? `"${prev.text}"` : 'word', own);
    }
    return withExp(tok, own);
  }
  if (/^expected command in (brace group|subshell)/.test(m)) {
    const t = tokenAt(src, e.pos + 1);
    return withExp(t, t === 'end of file' ? laterExpecting : null);
  }
  if (/^expected redirect target/.test(m)) {
    const before = src.slice(0, e.pos);
    const op = /(?:<<-?|>>|<>|>&|<&|>\||<|>)\s*$/.exec(before);
    return withExp(op ? tokenAt(src, op.index + op[0].replace(/\s+$/, '').length) : tok, null);
  }
  if (/^expected command after|^expected compound command/.test(m)) {
    return withExp(tok, tok === 'end of file' ? laterExpecting : null);
  }
  return withExp(tok, null);
}

/** True when the only thing wrong is that the input ended too early. */
export function isEofError(src: string, message: string, pos: number): boolean {
  if (/^unterminated/.test(message)) return true;
  return tokenAt(src, pos) === 'end of file';
}
