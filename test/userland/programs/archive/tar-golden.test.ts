/**
 * The simulated tar against the real GNU tar 1.34 of Debian 12: archives the real
 * tar made are listed and extracted as it lists and extracts them (same `tar -tv`
 * text, same modes, owners, sizes and mtimes after `-x`, as root and as an ordinary
 * user), and the simulated `tar -c` writes the bytes the real one writes.
 * fixtures/README.md says how each fixture was made.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { sh } from '../../../helpers/host.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url)).toString('latin1');

/** The paths a `stat -c '... %N'` listing names, in its order. */
const pathsOf = (statLines: string): string[] => statLines.trim().split('\n').map((l) => /'([^']*)'/.exec(l)![1]);

const STAT = "stat -c '%a %u %g %s %Y %F %N'";

describe('archives made by GNU tar 1.34', () => {
  test('tar -tvf lists the GNU-format archive as GNU tar does', () => {
    const r = sh('tar -tvf -', { stdin: fixture('gnu-1.34.tar') });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(fixture('gnu-1.34.tvf.txt'));
  });

  test('tar --numeric-owner -tvf lists the pax archive as GNU tar does', () => {
    const r = sh('tar --numeric-owner -tvf -', { stdin: fixture('gnu-1.34-pax.tar') });
    expect(r.stdout).toBe(fixture('gnu-1.34-pax.tvf-numeric.txt'));
  });

  test('root extracts the tree GNU tar extracts (-x -f - -C DEST --numeric-owner -p, as ctsim imports a root file system)', () => {
    const expected = fixture('gnu-1.34.extracted.txt');
    for (const archive of ['gnu-1.34.tar', 'gnu-1.34-pax.tar']) {
      const r = sh(`mkdir /tmp/out && tar -x -f - -C /tmp/out --numeric-owner -p && cd /tmp/out && ${STAT} ${pathsOf(expected).join(' ')}`, { stdin: fixture(archive) });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(expected);
      expect(r.status).toBe(0);
    }
  });

  test('an ordinary user gets no devices, no set-id bits, the umask applied, and exit status 2', () => {
    const expected = fixture('gnu-1.34.extracted-user.txt');
    const r = sh(
      `cat > /tmp/g.tar; chmod 644 /tmp/g.tar; mkdir -m 777 /tmp/u; cd /tmp/u
setpriv --reuid 1000 --regid 1000 --clear-groups tar -xf /tmp/g.tar; echo "status=$?"
stat -c '%a %s %Y %F %N' ${pathsOf(expected).join(' ')}`,
      { stdin: fixture('gnu-1.34.tar') },
    );
    expect(r.stderr).toBe(fixture('gnu-1.34.extracted-user.stderr.txt'));
    expect(r.stdout).toBe('status=2\n' + expected);
  });

  test('--same-owner as an ordinary user: every message, in the order GNU tar sets metadata (directories as it leaves them, delayed symlinks last)', () => {
    const r = sh('cat > /tmp/g.tar; chmod 644 /tmp/g.tar; mkdir -m 777 /tmp/u; cd /tmp/u; setpriv --reuid 65534 --regid 65534 --clear-groups tar --same-owner -xvf /tmp/g.tar 2>&1', {
      stdin: fixture('gnu-1.34.tar'),
    });
    expect(r.stdout).toBe(fixture('gnu-1.34.same-owner-user.txt'));
  });

  test('archive owners are mapped by name through /etc/passwd (cloudsdk is unknown here: its uid stays)', () => {
    const r = sh(`mkdir /o && tar -C /o -xf - && cd /o/root && ${STAT} run/fifo srv/empty srv/www/index.html`, { stdin: fixture('gnu-1.34.tar') });
    expect(r.stdout).toBe(
      "600 1 1 0 1717245296 fifo 'run/fifo'\n644 1000 1000 0 1717245296 regular empty file 'srv/empty'\n644 33 33 4 1717245296 regular file 'srv/www/index.html'\n",
    );
  });
});

describe('tar -c writes what GNU tar writes', () => {
  test('a directory, a subdirectory and a file, made at boot (mtime 2025-01-01 00:00:00)', () => {
    const r = sh('cd /tmp && mkdir -p a/b && echo hi > a/b/f && tar -cf - a');
    expect(r.stdout === fixture('gnu-1.34-small.tar')).toBe(true);
  });

  test('names of 100 and 101 bytes and a symlink to the longer: ././@LongLink L and K members', () => {
    const r = sh(`cd /tmp && N100=$(printf 'a%.0s' $(seq 1 100)) && N101=$(printf 'b%.0s' $(seq 1 101)) && touch $N100 $N101 && ln -s $N101 lnk && tar --numeric-owner -cf - $N100 $N101 lnk`);
    expect(r.stdout.length).toBe(10240);
    expect(r.stdout === fixture('gnu-1.34-longnames.tar')).toBe(true);
  });
});
