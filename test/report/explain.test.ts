/**
 * The explain presenter: trace records in, the lines explain mode shows out — with the
 * failures a program expects (a PATH search, isatty, init's wait, non-blocking "not
 * yet", boot) folded or left out, and every record kind in words with its reason.
 */
import { describe, expect, it } from 'vitest';
import { ExplainPresenter, formatExplain, presentExplain } from '../../src/report/explain.js';
import type { TraceRecord } from '../../src/sim/trace.js';

let t = 0;
const fail = (pid: number, comm: string, ev: string, errno: string, reason: string, args: Record<string, unknown> = {}, more: Record<string, unknown> = {}): TraceRecord => ({
  t: ++t,
  cat: 'explain',
  ev,
  pid,
  comm,
  errno,
  reason,
  args,
  ...more,
});
const miss = (pid: number, path: string, ev = 'stat'): TraceRecord => fail(pid, 'sh', ev, 'ENOENT', `${path} does not exist`, { path });
const exec = (pid: number, file: string): TraceRecord => ({ t: ++t, cat: 'proc', ev: 'exec', pid, file, argv: [file.replace(/.*\//, '')] });
const fork = (parent: number, child: number): TraceRecord => ({ t: ++t, cat: 'proc', ev: 'fork', parent, child, comm: 'sh' });
const PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

describe('explain presenter', () => {
  it('a PATH search that finds its program (the shell forks, the child executes it) says nothing', () => {
    expect(presentExplain([...PATH.slice(0, 3).map((d) => miss(2, `${d}/ls`)), fork(2, 3), exec(3, '/usr/bin/ls')])).toEqual([]);
  });

  it('a PATH search that finds nothing is one line naming each directory once (a directory twice in PATH is tried twice)', () => {
    const recs = [...PATH.map((d) => miss(2, `${d}/foo`)), miss(2, '/bin/foo')];
    expect(presentExplain(recs)).toEqual(['explain: sh[2] searched $PATH for foo: not in /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin\n']);
  });

  it('tells what a process held back when it exits, before what the next process does (time order)', () => {
    const ln = { t: 1, cat: 'explain' as const, ev: 'stat', pid: 3, comm: 'ln', errno: 'ENOENT', reason: 'l does not exist in /tmp', args: { path: '/tmp/l' } };
    const exit = { t: 2, cat: 'proc' as const, ev: 'exit', pid: 3, comm: 'ln', code: 0, signal: null };
    const cat = { t: 3, cat: 'explain' as const, ev: 'open', pid: 4, comm: 'cat', errno: 'ELOOP', reason: 'too many links', args: { path: '/tmp/l' } };
    const lines = presentExplain([ln, exit, cat]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^explain: ln\[3\] stat failed with ENOENT/);
    expect(lines[1]).toMatch(/^explain: cat\[4\] open failed with ELOOP/);
  });

  it('searches of a shell and its subshell at once are kept apart', () => {
    const recs = [miss(2, '/usr/local/bin/cat'), miss(6, '/usr/local/bin/sleep'), miss(2, '/usr/sbin/cat'), miss(6, '/usr/sbin/sleep'), exec(6, '/usr/bin/sleep'), fork(2, 7), exec(7, '/usr/bin/cat')];
    expect(presentExplain(recs)).toEqual([]);
  });

  it('the same path failing in one directory is no search: each failure is told, repeats folded', () => {
    const recs = [miss(3, '/nonexistent'), miss(3, '/nonexistent', 'lstat'), miss(3, '/nonexistent', 'lstat')];
    expect(presentExplain(recs)).toEqual(['explain: sh[3] stat failed with ENOENT: /nonexistent does not exist\n', 'explain: sh[3] lstat failed with ENOENT: /nonexistent does not exist (2 times)\n']);
  });

  it('leaves out isatty probes, the end of reaping loops, the setpgid race and non-blocking "not yet"', () => {
    const recs = [
      fail(3, 'ls', 'ioctl', 'ENOTTY', 'not a terminal', { fd: 1, cmd: 0x5401 }),
      fail(1, 'init', 'wait4', 'ECHILD', 'the caller has no children to wait for'),
      fail(4, 'wget', 'connect', 'EINPROGRESS', 'the SYN is sent'),
      fail(4, 'wget', 'read', 'EAGAIN', 'the pipe is empty', { fd: 3 }, { nonblock: true }),
    ];
    expect(presentExplain(recs)).toEqual([]);
    expect(presentExplain([fail(5, 'sh', 'wait4', 'ECHILD', 'no children'), fail(5, 'sh', 'setpgid', 'EACCES', 'the child has already called execve')])).toEqual([]);
    // Other ioctls, setpgid's other errors and a blocking EAGAIN are told.
    expect(presentExplain([fail(3, 'ls', 'ioctl', 'ENOTTY', 'not a terminal', { fd: 1, cmd: 0x5413 })])).toHaveLength(1);
    expect(presentExplain([fail(5, 'sh', 'setpgid', 'ESRCH', 'no such process')])).toHaveLength(1);
    expect(presentExplain([fail(5, 'sh', 'fork', 'EAGAIN', 'pids.max=3 reached')])).toHaveLength(1);
  });

  it('boot: nothing until markStart (or before a start time)', () => {
    const p = new ExplainPresenter({ boot: true });
    expect(p.push(fail(1, 'init', 'open', 'ENOENT', 'boot'))).toEqual([]);
    p.markStart();
    expect([...p.push(fail(2, 'sh', 'open', 'ENOENT', 'now')), ...p.flush()]).toEqual(['explain: sh[2] open failed with ENOENT: now\n']);
    const early = fail(2, 'sh', 'open', 'ENOENT', 'early');
    const late = fail(2, 'sh', 'open', 'ENOENT', 'late');
    expect(presentExplain([early, late], late.t)).toEqual(['explain: sh[2] open failed with ENOENT: late\n']);
  });

  it('a held-back line comes out before what follows it (flush before program output)', () => {
    const p = new ExplainPresenter();
    for (const d of PATH.slice(0, 2)) expect(p.push(miss(2, `${d}/nosuch`))).toEqual([]);
    expect(p.flush()).toEqual(['explain: sh[2] searched $PATH for nosuch: not in /usr/local/sbin, /usr/local/bin\n']);
    expect(p.flush()).toEqual([]);
  });

  it('every record kind in words, with its reason', () => {
    const pkt = { src: '10.9.1.2', dst: '10.9.2.2', proto: 'TCP', sport: 40000, dport: 80, netns: 4026532005 };
    expect(formatExplain({ t: 1, cat: 'explain', ev: 'packet-drop', ...pkt, dev: 'vra', reason: 'chain FORWARD policy DROP' })).toBe(
      'explain: packet 10.9.1.2:40000 → 10.9.2.2:80 TCP dropped in network namespace 4026532005 on vra: chain FORWARD policy DROP\n',
    );
    // The outside network's router has no namespace inode a student could look up: it is named by what it is.
    expect(formatExplain({ t: 1, cat: 'explain', ev: 'packet-drop', ...pkt, netns: null, outside: 'the outside router (192.168.1.1, not part of this host)', dev: 'lan0', reason: 'no route' })).toBe(
      'explain: packet 10.9.1.2:40000 → 10.9.2.2:80 TCP dropped at the outside router (192.168.1.1, not part of this host) on lan0: no route\n',
    );
    expect(formatExplain({ t: 1, cat: 'explain', ev: 'packet-reset', ...pkt, reason: 'no socket listens' })).toBe('explain: packet 10.9.1.2:40000 → 10.9.2.2:80 TCP answered with a TCP RST in network namespace 4026532005: no socket listens\n');
    expect(formatExplain({ t: 1, cat: 'explain', ev: 'packet-unreachable', src: '10.0.0.1', dst: '10.0.0.2', proto: 'UDP', sport: 5, dport: 9, netns: 1, icmp: 'port unreachable', reason: 'no socket' })).toBe(
      'explain: packet 10.0.0.1:5 → 10.0.0.2:9 UDP answered with ICMP port unreachable in network namespace 1: no socket\n',
    );
    expect(formatExplain({ t: 1, cat: 'explain', ev: 'packet-drop', src: '10.0.0.1', dst: '10.0.0.2', proto: 'ICMP', netns: 1, vm: 'web', reason: 'x' })).toBe('explain: packet 10.0.0.1 → 10.0.0.2 ICMP dropped in network namespace 1 in VM web: x\n');
    expect(formatExplain({ t: 1, cat: 'explain', ev: 'vmexit', vm: 'web', vcpu: 0, exit: 'HLT', reason: 'the guest halted' })).toBe('explain: VM web vCPU 0 exit HLT: the guest halted\n');
    expect(formatExplain({ t: 1, cat: 'explain', ev: 'procfs-view', pid: 4, comm: 'ps', reader_pidns: 2, procfs_pidns: 1, reason: 'mounted elsewhere' })).toBe(
      'explain: ps[4] reads a /proc that lists PID namespace 1, not its own PID namespace 2: mounted elsewhere\n',
    );
    expect(formatExplain({ t: 1, cat: 'explain', ev: 'oom-kill', pid: 9, comm: 'tail', reason: 'memory.max' })).toBe('explain: tail[9] was killed by the OOM killer: memory.max\n');
    expect(formatExplain({ t: 1, cat: 'explain', ev: 'open', pid: 9, comm: 'cat', vm: 'web', errno: 'EACCES', reason: 'mode 0600' })).toBe('explain: cat[9] in VM web open failed with EACCES: mode 0600\n');
    expect(formatExplain({ t: 1, cat: 'explain', ev: 'open', pid: 9, comm: 'cat', errno: 'EACCES', reason: '' })).toBe('explain: cat[9] open failed with EACCES: no reason recorded\n');
  });
});
