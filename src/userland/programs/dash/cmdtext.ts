/**
 * The text of a command as `jobs` and job notices show it (dash's commandtext /
 * cmdtxt): rebuilt from the tree — `a | b`, `if …; then …; fi`, `(…)`, `f() { ... }`;
 * a simple command shows its words and redirections (`1>/dev/null 2>&1`) but not its
 * assignments; in words, quotes become double quotes, `$x` becomes `${x}`, command
 * substitutions `$(...)`, and here-documents `<<...`.
 */
import { K, type Node, type Redirection, type Word } from './ast.js';

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Characters dash shows backslash-escaped inside quotes. */
function inQuotes(s: string): string {
  return s.replace(/[\\"$`]/g, (c) => (c === '`' ? c : '\\' + c));
}

/** A word as dash's cmdputs prints it, from its source text. */
export function wordText(raw: string): string {
  let out = '';
  let i = 0;
  let dq = false;
  while (i < raw.length) {
    const c = raw[i];
    if (c === "'" && !dq) {
      const j = raw.indexOf("'", i + 1);
      const body = raw.slice(i + 1, j < 0 ? raw.length : j);
      out += `"${inQuotes(body)}"`;
      i = j < 0 ? raw.length : j + 1;
    } else if (c === '"') {
      out += '"';
      dq = !dq;
      i++;
    } else if (c === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1];
      out += dq ? (/[\\"$`]/.test(n) ? '\\' + n : '\\\\' + n) : n;
      i += 2;
    } else if (c === '`') {
      const j = raw.indexOf('`', i + 1);
      out += '$(...)';
      i = j < 0 ? raw.length : j + 1;
    } else if (c === '$' && raw[i + 1] === '(' && raw[i + 2] === '(') {
      const j = raw.indexOf('))', i + 3);
      out += '$((' + raw.slice(i + 3, j < 0 ? raw.length : j) + '))';
      i = j < 0 ? raw.length : j + 2;
    } else if (c === '$' && raw[i + 1] === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < raw.length; j++) {
        if (raw[j] === '(') depth++;
        else if (raw[j] === ')' && --depth === 0) break;
      }
      out += '$(...)';
      i = j + 1;
    } else if (c === '$' && i + 1 < raw.length && (NAME_START.test(raw[i + 1]) || /[0-9@*#?$!-]/.test(raw[i + 1]))) {
      let j = i + 2;
      if (NAME_START.test(raw[i + 1])) while (j < raw.length && NAME_CHAR.test(raw[j])) j++;
      out += '${' + raw.slice(i + 1, j) + '}';
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function words(ws: readonly Word[]): string {
  return ws.map((w) => wordText(w.raw)).join(' ');
}

function redir(r: Redirection): string {
  const fd = String(r.fd);
  if (r.op === '<<' || r.op === '<<-') return `${fd}<<...`;
  return `${fd}${r.op}${wordText(r.target.raw)}`;
}

export function commandText(n: Node): string {
  switch (n.k) {
    case K.Cmd: {
      let s = words(n.args);
      for (const r of n.redirs) s += ' ' + redir(r);
      return s;
    }
    case K.Pipe:
      return n.cmds.map(commandText).join(' | ');
    case K.Seq:
      return n.list.map(commandText).join('; ');
    case K.And:
      return `${commandText(n.left)} && ${commandText(n.right)}`;
    case K.Or:
      return `${commandText(n.left)} || ${commandText(n.right)}`;
    case K.Not:
      return `!${commandText(n.body)}`;
    case K.Bg:
    case K.Redir:
      return commandText(n.body);
    case K.Sub:
      return `(${commandText(n.body)})`;
    case K.If:
      return n.else_ ? `if ${commandText(n.cond)}; then ${commandText(n.then)}; else ${commandText(n.else_)}; fi` : `if ${commandText(n.cond)}; then ${commandText(n.then)}; fi`;
    case K.While:
    case K.Until:
      return `${n.k === K.While ? 'while' : 'until'} ${commandText(n.cond)}; do ${commandText(n.body)}; done`;
    case K.For:
      return `for ${n.name} in ${n.words ? words(n.words) : '"$@"'}; do ${commandText(n.body)}; done`;
    case K.Case:
      return `case ${wordText(n.word.raw)} in ${n.items.map((it) => `${it.pats[0] ? wordText(it.pats[0].raw) : ''}) ${it.body ? commandText(it.body) : ''};; `).join('')}esac`;
    case K.Defun:
      return `${n.name}() { ... }`;
  }
}
