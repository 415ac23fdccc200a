/**
 * echo(1) from coreutils: prints its arguments separated by spaces. -n omits the
 * newline; -e interprets backslash escapes (\n \t \\ \c …), -E does not (the default).
 * A write error is reported as "PROG: write error: STRERROR", status 1.
 */
import type { Program, ProgramArgs } from '../../kernel/proc/program.js';
import { errOut, out } from '../lib/io.js';

/** Backslash escapes of echo -e and printf; returns the text and whether \c stopped output. */
export function interpretEscapes(s: string): { text: string; stop: boolean } {
  let o = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      o += c;
      continue;
    }
    const n = s[++i];
    switch (n) {
      case 'a': o += '\x07'; break;
      case 'b': o += '\b'; break;
      case 'c': return { text: o, stop: true };
      case 'e': o += '\x1b'; break;
      case 'f': o += '\f'; break;
      case 'n': o += '\n'; break;
      case 'r': o += '\r'; break;
      case 't': o += '\t'; break;
      case 'v': o += '\v'; break;
      case '\\': o += '\\'; break;
      case '0': {
        let v = 0;
        let j = 0;
        while (j < 3 && /[0-7]/.test(s[i + 1] ?? '')) {
          v = v * 8 + Number(s[++i]);
          j++;
        }
        o += String.fromCharCode(v & 0xff);
        break;
      }
      case 'x': {
        let h = '';
        while (h.length < 2 && /[0-9a-fA-F]/.test(s[i + 1] ?? '')) h += s[++i];
        o += h ? String.fromCharCode(parseInt(h, 16)) : '\\x';
        break;
      }
      default:
        o += '\\' + n;
    }
  }
  return { text: o, stop: false };
}

export function* echoMain({ argv }: ProgramArgs): Program {
  const args = argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length > 0 && /^-[neE]+$/.test(args[0])) {
    for (const c of args[0].slice(1)) {
      if (c === 'n') newline = false;
      else if (c === 'e') escapes = true;
      else escapes = false;
    }
    args.shift();
  }
  let text = args.join(' ');
  if (escapes) {
    const r = interpretEscapes(text);
    text = r.text;
    if (r.stop) newline = false;
  }
  // coreutils' close_stdout: a failed write (ENOSPC on /dev/full, EPERM on a uid_map
  // already written) is reported under the name the program was run by, status 1.
  const e = yield* out(newline ? text + '\n' : text);
  if (e) {
    yield* errOut(`${argv[0] ?? 'echo'}: write error: ${e.message}\n`);
    return 1;
  }
  return 0;
}
