/**
 * The differential check against the real dash (Linux is the oracle): every script
 * of fixtures/oracle-cases.txt is run by /usr/bin/dash (as `sh`, in an empty
 * directory, with the environment ctsim's sh gets) and by ctsim's sh, and their
 * stdout, stderr and status must be the same. A case starting with `@args [...]`
 * gives sh's arguments, the rest of the case being its standard input.
 *
 * It needs a Debian dash 0.5.12, so it runs only when DASH_ORACLE=1 is set. Scripts
 * whose output depends on timing in real dash (whether a killed job is reaped before
 * `wait` runs) are not in the corpus; process.test.ts covers them.
 */
import { expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sh, run } from '../../helpers/host.js';

const ENV = { HOME: '/root', LOGNAME: 'root', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', SHELL: '/bin/sh', USER: 'root' };
const enabled = process.env.DASH_ORACLE === '1' && existsSync('/usr/bin/dash');

test.skipIf(!enabled)('ctsim sh prints what /usr/bin/dash prints', () => {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'oracle-cases.txt');
  const cases = readFileSync(file, 'latin1').split('\n#----\n').map((s) => s.replace(/\n$/, '')).filter((s) => s.trim() !== '');
  const diffs: string[] = [];
  for (const c of cases) {
    const dir = mkdtempSync(join(tmpdir(), 'dash-oracle-'));
    let args = ['-c', c];
    let input = '';
    const m = /^@args (.*)\n/.exec(c);
    if (m) {
      args = JSON.parse(m[1]) as string[];
      input = c.slice(m[0].length) + '\n';
    }
    // Node passes arguments as UTF-8: hand it the bytes' UTF-8 reading so they arrive unchanged.
    const bytes = (x: string): string => Buffer.from(x, 'latin1').toString('utf8');
    const real = spawnSync('/usr/bin/dash', args.map(bytes), { cwd: dir, env: { ...ENV, PWD: dir }, argv0: 'sh', encoding: 'latin1', timeout: 20000, input: Buffer.from(input, 'latin1') });
    const sim = m ? run(['sh', ...args], { path: '/bin/sh', stdin: input, maxSteps: 20_000_000 }) : sh(c, { maxSteps: 20_000_000 });
    const want = { out: real.stdout.split(dir).join('/root'), err: real.stderr.split(dir).join('/root'), status: real.status ?? 128 + (real.signal === 'SIGKILL' ? 9 : 15) };
    const got = { out: sim.stdout, err: sim.stderr, status: sim.status };
    if (JSON.stringify(want) !== JSON.stringify(got)) diffs.push(`${JSON.stringify(c)}\n  dash : ${JSON.stringify(want)}\n  ctsim: ${JSON.stringify(got)}`);
  }
  expect(diffs).toEqual([]);
}, 600_000);
