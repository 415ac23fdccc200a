/**
 * Bash syntax that dash reads differently. unbash parses bash, so before its tree
 * is used the source is checked for bash-only constructs:
 *
 * - bash keywords dash does not have — `[[`, `function`, `select`, `time`,
 *   `coproc` — are ordinary command words in dash. The text unbash sees gets a
 *   backslash before them (`\[[` is the word `[[` to dash too), so they parse as
 *   commands: `[[ x ]]` runs a command named `[[` (not found), `function f {` is a
 *   syntax error at the `}`, as in dash;
 * - `((…))` is two nested subshells to dash: unbash sees `( (…))`;
 * - `&>` is `&` then `>` to dash: unbash sees `& >`;
 * - constructs dash rejects become dash's syntax error at the same place: arrays
 *   `a=(…)`, `<(…)`/`>(…)`, extglob `@(…)`, `|&`, `;&`/`;;&`, `<<<`, `for ((…))`,
 *   `! !`.
 *
 * The edits only insert characters unbash needs to see the dash reading; words
 * are read back from the edited text, where they mean what dash reads.
 */
import { parse, forEachChild, type ParsedScript, type SyntaxNode } from 'unbash';

/** A bash-only construct dash rejects: dash's message and where. */
export interface DirectError {
  readonly message: string;
  readonly pos: number;
}

interface Found {
  inserts: { pos: number; text: string }[];
  direct: DirectError | null;
}

function noteDirect(f: Found, message: string, pos: number): void {
  if (!f.direct || pos < f.direct.pos) f.direct = { message, pos };
}

function scan(src: string, node: SyntaxNode, f: Found): void {
  switch (node.type) {
    case 'Script':
      // A backquoted script with its own decoded text: its positions are not ours.
      if (node.source !== undefined && node.source !== src) return;
      break;
    case 'TestCommand':
      if (src.startsWith('[[', node.pos)) f.inserts.push({ pos: node.pos, text: '\\' });
      break;
    case 'ArithmeticCommand':
      if (src.startsWith('((', node.pos)) f.inserts.push({ pos: node.pos + 1, text: ' ' });
      break;
    case 'ArithmeticFor':
      noteDirect(f, 'Syntax error: Bad for loop variable', node.pos);
      return;
    case 'Select':
    case 'Coproc':
      f.inserts.push({ pos: node.pos, text: '\\' });
      break;
    case 'Function':
      if (/^function[ \t]/.test(src.slice(node.pos, node.pos + 9))) f.inserts.push({ pos: node.pos, text: '\\' });
      break;
    case 'Pipeline': {
      let negations = 0;
      for (const p of node.prefixes) {
        if (p.type === 'Time') f.inserts.push({ pos: p.pos, text: '\\' });
        else if (++negations > 1) noteDirect(f, 'Syntax error: "!" unexpected', p.pos);
      }
      for (let i = 0; i < node.operators.length; i++) {
        if (node.operators[i] === '|&') {
          const at = src.indexOf('|&', node.commands[i].end);
          noteDirect(f, 'Syntax error: "&" unexpected', at + 1);
        }
      }
      break;
    }
    case 'Redirect':
      if (node.operator === '&>' || node.operator === '&>>') {
        const at = src.indexOf('&>', node.pos);
        if (at >= 0) f.inserts.push({ pos: at + 1, text: ' ' });
      }
      if (node.descriptor?.type === 'FileDescriptorVariable') f.inserts.push({ pos: node.descriptor.pos, text: '\\' });
      break;
    case 'HereString':
      noteDirect(f, 'Syntax error: redirection unexpected', node.pos);
      break;
    case 'ProcessSubstitution':
      noteDirect(f, 'Syntax error: "(" unexpected', node.pos + 1);
      return;
    case 'ExtendedGlob':
      noteDirect(f, 'Syntax error: "(" unexpected', src.indexOf('(', node.pos));
      return;
    case 'ArrayValue':
      noteDirect(f, 'Syntax error: "(" unexpected', node.pos);
      return;
    case 'CaseItem':
      if (node.terminator === ';&' || node.terminator === ';;&') {
        const at = src.indexOf(node.terminator, node.body.end);
        noteDirect(f, 'Syntax error: "&" unexpected', at + node.terminator.length - 1);
      }
      break;
    default:
      break;
  }
  forEachChild(node, (c) => scan(src, c, f));
}

/** Where a simple command starting at `i` ends: the first unquoted `;`, `&`, `|`, `)` or newline. */
function simpleCommandEnd(src: string, i: number): number {
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === "'") {
      const j = src.indexOf("'", i + 1);
      i = j < 0 ? src.length : j + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      i = j + 1;
    } else if (/[;&|\n)]/.test(c)) return i;
    else i++;
  }
  return src.length;
}

/** The source unbash should parse to get dash's reading, its tree, and the first bash-only error. */
export function fixBashisms(source: string): { src: string; ast: ParsedScript; direct: DirectError | null } {
  let src = source;
  for (let round = 0; ; round++) {
    const ast = parse(src);
    const f: Found = { inserts: [], direct: null };
    scan(src, ast, f);
    // dash takes any command as a function body (`f() echo hi`); bash wants a
    // compound one: wrap a simple command body in braces.
    for (const e of ast.errors ?? []) {
      if (e.message !== 'expected compound command as function body') continue;
      let i = e.pos;
      while (i < src.length && (src[i] === ' ' || src[i] === '\t')) i++;
      if (i >= src.length || /[;&|\n)]/.test(src[i])) continue;
      const end = simpleCommandEnd(src, i);
      f.inserts.push({ pos: i, text: '{ ' }, { pos: end, text: '; }' });
    }
    if (f.inserts.length === 0 || round >= 8) return { src, ast, direct: f.direct };
    f.inserts.sort((a, b) => b.pos - a.pos);
    let last = -1;
    for (const ins of f.inserts) {
      if (ins.pos === last) continue;
      last = ins.pos;
      src = src.slice(0, ins.pos) + ins.text + src.slice(ins.pos);
    }
  }
}
