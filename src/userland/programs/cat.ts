/** cat(1) (coreutils): concatenate files to standard output; `-` or no file is standard input; -n numbers lines. */
import type { Program, ProgramArgs } from '../../kernel/proc/program.js';
import * as sys from '../lib/sys.js';
import { SysError } from '../../kernel/errno.js';
import { writeAll, errOut, READ_CHUNK } from '../lib/io.js';
import { O_RDONLY } from '../../kernel/vfs/types.js';

export function* catMain({ argv }: ProgramArgs): Program {
  let number = false;
  const files: string[] = [];
  let opts = true;
  for (const a of argv.slice(1)) {
    if (opts && a === '--') opts = false;
    else if (opts && a.startsWith('-') && a !== '-') {
      for (const c of a.slice(1)) {
        if (c === 'n') number = true;
        else if (c === 'u') continue;
        else {
          yield* errOut(`cat: invalid option -- '${c}'\nTry 'cat --help' for more information.\n`);
          return 1;
        }
      }
    } else files.push(a);
  }
  if (files.length === 0) files.push('-');
  let status = 0;
  let lineNo = 1;
  let atLineStart = true;
  for (const f of files) {
    let fd = 0;
    if (f !== '-') {
      const r = yield* sys.open(f, O_RDONLY);
      if (r instanceof SysError) {
        yield* errOut(`cat: ${f}: ${r.message}\n`);
        status = 1;
        continue;
      }
      fd = r;
    }
    for (;;) {
      const chunk = yield* sys.read(fd, READ_CHUNK);
      if (chunk instanceof SysError) {
        yield* errOut(`cat: ${f === '-' ? '-' : f}: ${chunk.message}\n`);
        status = 1;
        break;
      }
      if (chunk === '') break;
      let data = chunk;
      if (number) {
        let o = '';
        for (const ch of chunk) {
          if (atLineStart) o += `${String(lineNo++).padStart(6)}\t`;
          o += ch;
          atLineStart = ch === '\n';
        }
        data = o;
      }
      const w = yield* writeAll(1, data);
      if (w instanceof SysError) {
        if (w.errno !== 'EPIPE') yield* errOut(`cat: write error: ${w.message}\n`);
        return 1;
      }
    }
    if (fd !== 0) yield* sys.close(fd);
  }
  return status;
}
