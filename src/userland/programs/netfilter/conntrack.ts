/**
 * conntrack-tools 1.4.7's conntrack for the connection table: -L/--dump [-p PROTO]
 * [-o extended], -C/--count, -F/--flush. The count line goes to standard error,
 * as the real tool writes it.
 *
 * Simplification: no -E (events), -D/-U/-I by tuple, filters beyond -p, or
 * expectation tables.
 */
import { SysError } from '../../../kernel/errno.js';
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { formatConn } from '../../../kernel/net/nf-abi.js';
import { errOut, out } from '../../lib/io.js';
import * as sys from '../../lib/sys.js';
import { TCGETS } from '../../../kernel/syscalls/abi.js';
import { nfTalk } from './nf-talk.js';

const ME = 'conntrack v1.4.7 (conntrack-tools)';

export function* conntrackMain({ argv }: ProgramArgs): Program {
  let cmd: 'L' | 'C' | 'F' | null = null;
  let proto: string | null = null;
  let extended = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-L' || a === '--dump') cmd = 'L';
    else if (a === '-C' || a === '--count') cmd = 'C';
    else if (a === '-F' || a === '--flush') cmd = 'F';
    else if (a === '-p' || a === '--proto') proto = argv[++i] ?? '';
    else if (a === '-o' || a === '--output') extended = (argv[++i] ?? '').split(',').includes('extended');
    else {
      yield* errOut(`${ME}: Bad parameter \`${a}'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`);
      return 2;
    }
  }
  if (!cmd) {
    yield* errOut(`${ME}: no command specified\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`);
    return 2;
  }
  if (proto !== null && !['tcp', 'udp', 'icmp'].includes(proto)) {
    yield* errOut(`${ME}: \`${proto}' unsupported protocol\n`);
    return 2;
  }
  const r = yield* nfTalk(cmd === 'F' ? { op: 'ct-flush' } : { op: 'ct-list' });
  if (r instanceof SysError || !r.ok) {
    yield* errOut(`${ME}: Operation failed: sorry, you must be root or get CAP_NET_ADMIN capability to do this\n`);
    return 1;
  }
  if (cmd === 'F') {
    yield* errOut(`${ME}: connection tracking table has been emptied.\n`);
    return 0;
  }
  const conns = (r.conns ?? []).filter((c) => proto === null || c.protoName === proto);
  if (cmd === 'C') {
    yield* out(`${conns.length}\n`);
    return 0;
  }
  // The kernel's dump shows the newest connections first.
  const listing = [...conns].reverse().map((c) => `${extended ? 'ipv4     2 ' : ''}${formatConn(c)}\n`).join('');
  const summary = `${ME}: ${conns.length} flow entries have been shown.\n`;
  // stdio: standard output to a pipe or file is flushed at exit, after the unbuffered summary on standard error.
  const tty = !((yield* sys.ioctl(1, TCGETS)) instanceof SysError);
  if (!tty) yield* errOut(summary);
  yield* out(listing);
  if (tty) yield* errOut(summary);
  return 0;
}
