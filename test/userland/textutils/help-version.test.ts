/**
 * Every text tool answers --help (a usage summary on standard output, status 0) and
 * --version (the GNU package and version it models), and the registry installs each
 * one at Debian's path.
 */
import { describe, expect, test } from 'vitest';
import { run } from '../../helpers/host.js';
import { defaultPrograms } from '../../../src/userland/index.js';

const VERSIONS: Record<string, string> = {
  yes: 'yes (GNU coreutils) 9.1',
  head: 'head (GNU coreutils) 9.1',
  tail: 'tail (GNU coreutils) 9.1',
  wc: 'wc (GNU coreutils) 9.1',
  tr: 'tr (GNU coreutils) 9.1',
  cut: 'cut (GNU coreutils) 9.1',
  sort: 'sort (GNU coreutils) 9.1',
  uniq: 'uniq (GNU coreutils) 9.1',
  tee: 'tee (GNU coreutils) 9.1',
  seq: 'seq (GNU coreutils) 9.1',
  basename: 'basename (GNU coreutils) 9.1',
  dirname: 'dirname (GNU coreutils) 9.1',
  grep: 'grep (GNU grep) 3.8',
  sed: 'sed (GNU sed) 4.9',
  xargs: 'xargs (GNU findutils) 4.9.0',
};

describe('--help and --version', () => {
  for (const [name, version] of Object.entries(VERSIONS)) {
    test(name, () => {
      const h = run([name, '--help'], { path: `/usr/bin/${name}` });
      expect(h.status).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`^Usage: ${name} `));
      const v = run([name, '--version'], { path: `/usr/bin/${name}` });
      expect(v.status).toBe(0);
      expect(v.stdout.split('\n')[0]).toBe(version);
    });
  }

  test('each tool is installed in /usr/bin', () => {
    const t = defaultPrograms();
    for (const name of Object.keys(VERSIONS)) expect(t.get(name)?.paths).toEqual([`/usr/bin/${name}`]);
  });

  test('messages name the program as argv[0] does', () => {
    const r = run(['/usr/bin/head', '-n', 'x'], { path: '/usr/bin/head' });
    expect([r.status, r.stderr]).toEqual([1, "/usr/bin/head: invalid number of lines: 'x'\n"]);
    const g = run(['/usr/bin/grep'], { path: '/usr/bin/grep' });
    expect([g.status, g.stderr]).toEqual([2, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"]);
  });
});
