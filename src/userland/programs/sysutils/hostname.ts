/**
 * hostname(1) as Debian 12 ships it (the `hostname` package, 3.23): prints the
 * host name from uname(2), or sets it with sethostname(2) — root only: others get
 * "hostname: you must be root to change the host name". -s prints the name up to
 * the first dot, -F FILE sets it from a file, -f the fully qualified name.
 *
 * Simplification: -f, -A, -d, -i and -I would resolve the name through NSS and the
 * network; ctsim has no resolver yet, so -f prints the host name and -d an empty
 * domain; the address options are not offered.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { getopt, GetoptError } from '../../lib/getopt.js';

/** User CPU of hostname — a design choice. */
const HOSTNAME_NS = 15_000;
/** The name the package's messages use, whatever argv[0] is. */
const PROG = 'hostname';
const USAGE = `Usage: hostname [-b] {hostname|-F file}         set host name (from file)
       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name
       hostname                                 display host name

       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)
       {yp,nis,}domainname                      display NIS domain name

       dnsdomainname                            display dns domain name

       hostname -V|--version|-h|--help          print info and exit
`;

function* setName(name: string): Generator<import('../../../kernel/proc/program.js').Op, number, unknown> {
  const r = yield* sys.sethostname(name);
  if (r instanceof SysError) {
    if (r.errno === 'EPERM') yield* errOut(`${PROG}: you must be root to change the host name\n`);
    else if (r.errno === 'EINVAL') yield* errOut(`${PROG}: name too long\n`);
    else yield* errOut(`${PROG}: ${r.message}\n`);
    return 1;
  }
  return 0;
}

export function* hostnameMain({ argv }: ProgramArgs): Program {
  yield HOSTNAME_NS;
  let parsed;
  try {
    parsed = getopt(argv[0] ?? PROG, argv.slice(1), [
      { short: 'a', long: 'alias' },
      { short: 'b', long: 'boot' },
      { short: 'd', long: 'domain' },
      { short: 'f', long: 'fqdn' },
      { long: 'long', key: 'fqdn' },
      { short: 'F', long: 'file', arg: 'required' },
      { short: 's', long: 'short' },
      { short: 'V', long: 'version' },
      { short: 'h', long: 'help' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\n${USAGE}`);
    return 1;
  }
  const v = parsed.values;
  const out = new OutBuffer(1);
  if (v.has('help')) {
    yield* out.write(USAGE);
    yield* out.flush();
    return 0;
  }
  if (v.has('version')) {
    yield* out.write('hostname 3.23\n');
    yield* out.flush();
    return 0;
  }
  const file = v.get('file');
  if (typeof file === 'string') {
    const text = yield* readFile(file);
    if (text instanceof SysError) {
      yield* errOut(`${PROG}: ${file}: ${text.message}\n`);
      return 1;
    }
    const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#')) ?? '';
    return yield* setName(line);
  }
  if (parsed.operands.length > 0) return yield* setName(parsed.operands[0]);
  const u = yield* sys.uname();
  if (u instanceof SysError) return 1;
  let name = u.nodename;
  if (v.has('short')) name = name.split('.')[0];
  else if (v.has('domain')) name = name.includes('.') ? name.slice(name.indexOf('.') + 1) : '';
  yield* out.write(name + '\n');
  return (yield* out.flush()) ? 1 : 0;
}
