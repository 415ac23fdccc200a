/**
 * The grouping and wording of a live session's `explain` (src/report/monitor-report.ts).
 */
import { describe, expect, it } from 'vitest';
import { explainLine, formatDuration, formatExplainItems, formatSimTime, groupExplain, type ExplainRecord } from '../../src/report/monitor-report.js';

const PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const miss = (pid: number, path: string, ev = 'stat'): ExplainRecord => ({ t: 0, ev, pid, comm: 'sh', errno: 'ENOENT', reason: `${path} is missing`, path });

describe('groupExplain', () => {
  it('makes a PATH search one item, found when it stopped before the end of $PATH', () => {
    const items = groupExplain([miss(2, '/usr/local/sbin/ls'), miss(2, '/usr/local/bin/ls'), miss(2, '/usr/sbin/ls')], PATH);
    expect(items).toEqual([{ kind: 'path-search', rec: miss(2, '/usr/local/sbin/ls'), name: 'ls', dirs: PATH.slice(0, 3), found: true }]);
    const all = groupExplain(PATH.map((d) => miss(2, `${d}/nosuch`)), PATH);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: 'path-search', found: false, dirs: PATH });
  });

  it('starts a new search for another name, another process, or a directory out of order', () => {
    const recs = [miss(2, '/usr/local/sbin/a'), miss(2, '/usr/local/sbin/b'), miss(3, '/usr/local/bin/b'), miss(3, '/usr/local/sbin/b')];
    expect(groupExplain(recs, PATH).map((i) => (i.kind === 'path-search' ? i.dirs : i.kind))).toEqual([['/usr/local/sbin'], ['/usr/local/sbin'], ['/usr/local/bin'], ['/usr/local/sbin']]);
  });

  it('does not take a non-shell, or a relative path, for a PATH search', () => {
    const cat: ExplainRecord = { ...miss(4, '/usr/bin/x'), comm: 'cat' };
    const rel = miss(2, 'x');
    expect(groupExplain([cat, rel], PATH).map((i) => i.kind)).toEqual(['failure', 'failure']);
  });

  it('counts identical failures in a row as one, and marks routine ones', () => {
    const lstat: ExplainRecord = { t: 0, ev: 'lstat', pid: 5, comm: 'ls', errno: 'ENOENT', reason: 'gone', path: '/x' };
    const tty: ExplainRecord = { t: 0, ev: 'ioctl', pid: 5, comm: 'ls', errno: 'ENOTTY', reason: 'not a terminal' };
    const items = groupExplain([lstat, lstat, tty, lstat], PATH);
    expect(items.map((i) => [i.kind, 'count' in i ? i.count : 0])).toEqual([['failure', 2], ['routine', 1], ['failure', 1]]);
    const f = formatExplainItems(items, false);
    expect(f.shown).toEqual(['ls[5] lstat failed with ENOENT: gone (×2)', 'ls[5] lstat failed with ENOENT: gone']);
    expect(f.hidden).toEqual(['ls[5] ioctl ENOTTY: isatty(): a program asks whether its output is a terminal']);
    const leader: ExplainRecord = { t: 0, ev: 'setpgid', pid: 2, comm: 'sh', errno: 'EPERM', reason: 'a session leader cannot change its process group' };
    expect(groupExplain([leader], PATH)[0].kind).toBe('routine');
    expect(groupExplain([{ ...leader, reason: 'another session' }], PATH)[0].kind).toBe('failure');
    expect(formatExplainItems(items, true).shown[1]).toBe('ls[5] ioctl failed with ENOTTY: not a terminal  [routine: isatty(): a program asks whether its output is a terminal]');
  });
});

describe('words', () => {
  it('explains an OOM kill and a failure without a reason', () => {
    expect(explainLine({ t: 0, ev: 'oom-kill', pid: 4, comm: 'tail', reason: 'cgroup /g reached its memory.max' })).toBe('tail[4] was killed by the OOM killer: cgroup /g reached its memory.max');
    expect(explainLine({ t: 0, ev: 'open', pid: 4, comm: 'cat', errno: 'EACCES', reason: '' })).toBe('cat[4] open failed with EACCES: no reason recorded');
  });

  it('writes times and durations', () => {
    expect(formatSimTime(12_000_000_345)).toBe('12.000000345 s');
    expect(formatDuration(1_000_000)).toBe('1 ms');
    expect(formatDuration(100_000)).toBe('100 µs');
    expect(formatDuration(1_500_000_000)).toBe('1.5 s');
    expect(formatDuration(12)).toBe('12 ns');
  });
});

describe('explain at the prompt speaks as --explain does', () => {
  it('words a dropped packet and a VM exit from the whole record, not as a failed call', () => {
    const raw = { t: 1, cat: 'explain' as const, ev: 'packet-drop', src: '10.0.0.1', dst: '10.0.0.2', proto: 'ICMP', netns: 4026531840, dev: 'veth0', reason: 'chain INPUT policy DROP' };
    const rec: ExplainRecord = { t: 1, ev: 'packet-drop', pid: NaN, comm: 'undefined', reason: raw.reason, raw };
    expect(explainLine(rec)).toBe('packet 10.0.0.1 → 10.0.0.2 ICMP dropped in network namespace 4026531840 on veth0: chain INPUT policy DROP');
  });

  it('takes the routine failures from the same list as --explain (a non-blocking EAGAIN is routine)', () => {
    const raw = { t: 1, cat: 'explain' as const, ev: 'read', pid: 5, comm: 'httpd', errno: 'EAGAIN', reason: 'no data yet', nonblock: true };
    const rec: ExplainRecord = { t: 1, ev: 'read', pid: 5, comm: 'httpd', errno: 'EAGAIN', reason: 'no data yet', raw };
    expect(groupExplain([rec], PATH)[0].kind).toBe('routine');
    expect(groupExplain([{ ...rec, raw: { ...raw, nonblock: false } }], PATH)[0].kind).toBe('failure');
  });
});
