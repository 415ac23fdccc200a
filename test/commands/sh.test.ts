/**
 * `ctsim sh` as a user runs it: a script's output and exit status come through,
 * arguments become $0 $1 …, --json reports the run, the same --seed gives the same
 * bytes, and bad flags or files get one clear line and a non-zero exit.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Sh from '../../src/commands/sh.js';
import { runCli } from '../helpers/cli.js';

/** What the command reads as its standard input (fd 0) when that is not a terminal. */
let stdinText = '';

vi.mock('node:fs', async (importOriginal) => {
  const { fsWithStdin } = await import('../helpers/stdin-mock.js');
  return fsWithStdin(await importOriginal<typeof import('node:fs')>(), () => stdinText);
});

afterEach(() => {
  stdinText = '';
});

const run = (...argv: string[]) => runCli(Sh, argv, 'sh');

describe('ctsim sh', () => {
  it('prints what the script prints and exits with its status', async () => {
    const r = await run('-c', 'echo hi | cat; echo oops >&2; exit 3');
    expect(r).toMatchObject({ stdout: 'hi\n', stderr: 'oops\n', exitCode: 3 });
  });

  it('passes the words after the script as $0, $1, …', async () => {
    const r = await run('-c', 'echo "$0 $1 $#"', 'name', 'one');
    expect(r.stdout).toBe('name one 1\n');
  });

  it('reports a killed command as 128 + the signal, as dash does', async () => {
    expect((await run('-c', 'sleep 100 & kill -9 $!; wait $!; echo $?')).stdout).toBe('137\n');
  });

  it('feeds its own standard input to the script', async () => {
    stdinText = 'b\na\n';
    expect((await run('-c', 'sort')).stdout).toBe('a\nb\n');
  });

  it('runs a script file from the real machine, with $0 its name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctsim-sh-'));
    const file = path.join(dir, 'hello.sh');
    writeFileSync(file, 'echo "$0:$1"; uname -n\n');
    const r = await run(file, 'x');
    expect(r).toMatchObject({ stdout: `${file}:x\nctsim\n`, exitCode: 0 });
  });

  it('--explain says why each failed system call failed, with the reason the kernel gave', async () => {
    const r = await run('--explain', '-c', 'kill -9 99999; echo $?');
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toContain("explain: sh[2] kill failed with ESRCH: no process 99999 in the caller's PID namespace\n");
    expect(r.stderr).toContain('sh: 1: kill: No such process\n');
    // Without it, nothing is said.
    const quiet = await run('-c', 'kill -9 99999');
    expect(quiet.stderr).toContain('sh: 1: kill: No such process');
    expect(quiet.stderr).not.toContain('explain:');
  });

  it('--explain says why the OOM killer killed a process: which cgroup, its usage and limit, the victim\'s badness', async () => {
    const r = await run('--explain', '-c', 'cd /sys/fs/cgroup; echo +memory > cgroup.subtree_control; mkdir g; echo 8M > g/memory.max; echo $$ > g/cgroup.procs; tail /dev/zero; echo $?');
    expect(r.stdout).toBe('137\n');
    expect(r.stderr).toMatch(/explain: tail\[\d+\] was killed by the OOM killer: cgroup \/g reached its memory\.max: 8192 kB used of 8192 kB and nothing left to reclaim; of the 2 processes it could kill, tail had the highest badness, \d+ pages \(rss \d+ \+ swap 0 \+ page tables \d+, oom_score_adj 0\)\n/);
  });

  it('--explain says why fork failed (pids.max of which cgroup, current and max), why a packet was dropped and why ps shows the host', async () => {
    const r = await run(
      '--explain',
      '-c',
      [
        'cd /sys/fs/cgroup; echo +pids > cgroup.subtree_control; mkdir web; echo 2 > web/pids.max',
        "sh -c 'echo $$ > web/cgroup.procs; sleep 1 & sleep 1 & echo x'",
        'ip netns add a; ip netns exec a sh -c "ip link set lo up; iptables -P INPUT DROP; ping -c1 -W1 127.0.0.1 >/dev/null"',
        'unshare -p -f ps -e >/dev/null',
        'nosuch',
      ].join('\n'),
    );
    expect(r.stderr).toMatch(/explain: sh\[\d+\] fork failed with EAGAIN: pids\.max=2 reached in \/sys\/fs\/cgroup\/web \(the caller's cgroup\): pids\.current=2, one more task would make 3/);
    expect(r.stderr).toMatch(/explain: packet 127\.0\.0\.1 → 127\.0\.0\.1 ICMP dropped in network namespace \d+ on lo: chain INPUT policy DROP in the filter table/);
    expect(r.stderr).toMatch(/explain: ps\[\d+\] reads a \/proc that lists PID namespace \d+, not its own PID namespace \d+/);
    // The failed PATH search is one line, said before the shell's own message.
    expect(r.stderr).toContain('explain: sh[2] searched $PATH for nosuch: not in /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin\nsh: 5: nosuch: not found\n');
    // Searches that found their program, and boot, say nothing.
    expect(r.stderr).not.toMatch(/searched \$PATH for (ip|sh|ps|unshare)|init\[1\]/);
  });

  it('--json gives status, output, seed and simulated time', async () => {
    const r = await run('--json', '--seed', '9', '-c', 'sleep 2; echo done; exit 1');
    expect(r.exitCode).toBe(1);
    const doc = r.json<{ seed: number; status: number; stdout: string; stderr: string; simulatedNs: number; ended: string }>();
    expect(doc).toMatchObject({ seed: 9, status: 1, stdout: 'done\n', stderr: '' });
    expect(doc.simulatedNs).toBeGreaterThanOrEqual(2e9);
  });

  it('gives the same bytes for the same seed', async () => {
    const script = 'for i in 1 2 3; do (yes | head -c 50000 | wc -c) & done; wait; ps -e -o pid,comm,time; cat /proc/uptime';
    const a = await run('--seed', '5', '--cpus', '2', '-c', script);
    const b = await run('--seed', '5', '--cpus', '2', '-c', script);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('50000\n');
  });

  it('writes a JSON Lines trace to --trace-file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctsim-trace-'));
    const file = path.join(dir, 'trace.jsonl');
    const r = await run('--trace', 'proc', '--trace-format', 'json', '--trace-file', file, '-c', 'true');
    expect(r.exitCode).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { cat: string });
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines.map((l) => l.cat))).toEqual(new Set(['proc']));
  });

  it('stops at --time-limit with status 124', async () => {
    const r = await run('--time-limit', '1s', '-c', 'sleep 5; echo never');
    expect(r).toMatchObject({ stdout: '', exitCode: 124 });
  });

  it.each([
    [['--cpus', '0', '-c', 'true'], /^ctsim sh: --cpus: expected a whole number of CPUs from 1 to 1024, found 0$/, 2],
    [['--seed', 'abc', '-c', 'true'], /^ctsim sh: Parsing --seed: Expected an integer but received: abc$/, 2],
    [['--memory', '12Q', '-c', 'true'], /^ctsim sh: --memory: expected a size/, 2],
    [['--trace', 'bogus', '-c', 'true'], /^ctsim sh: --trace: expected categories among/, 2],
    [['/nonexistent/script.sh'], /^ctsim sh: \/nonexistent\/script\.sh: expected a readable script file, found ENOENT/, 3],
  ])('%j is refused with one clear line', async (argv, message, code) => {
    const r = await run(...argv);
    expect(r.exitCode).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
