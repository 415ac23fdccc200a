/**
 * The --trace timeline: vfs records (what the VFS decided, and the component a failed
 * path walk stopped at), syscall records decoded as strace decodes them, and the JSON
 * Lines form: every line parses, each event keeps one set of fields, two runs give the
 * same bytes.
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../../src/index.js';
import { formatTraceJson, type TraceCategory, type TraceRecord } from '../../../src/sim/trace.js';

function traced(script: string, categories: TraceCategory[] | 'all'): TraceRecord[] {
  const recs: TraceRecord[] = [];
  const host = createHost({ cpus: 2, seed: 1, trace: { categories, sink: (r) => recs.push(r) } });
  host.sh(script, { maxSteps: 5_000_000 });
  return recs;
}

const strip = ({ t: _t, cat: _c, ...rest }: TraceRecord): Record<string, unknown> => rest;

describe('vfs trace records', () => {
  it('records opens, creates, renames, unlinks, mounts and the component a walk failed at', () => {
    const recs = traced(
      'echo hi > /tmp/x; cat /etc/nope/y; mv /tmp/x /tmp/z; rm /tmp/z; mkdir /mnt/d; mount -t tmpfs none /mnt/d; umount /mnt/d; rmdir /mnt/d; chroot / true',
      ['vfs'],
    ).map(strip);
    expect(recs).toContainEqual({ ev: 'create', pid: 2, comm: 'sh', path: '/tmp/x', mode: '0644', fs: 'ext4' });
    expect(recs).toContainEqual({ ev: 'open', pid: 2, comm: 'sh', path: '/tmp/x', flags: 'O_WRONLY|O_CREAT|O_TRUNC', fd: 3, fs: 'ext4' });
    expect(recs).toContainEqual({ ev: 'lookup-fail', pid: 3, comm: 'cat', path: '/etc/nope/y', component: 'nope', errno: 'ENOENT' });
    expect(recs).toContainEqual(expect.objectContaining({ ev: 'rename', from: '/tmp/x', to: '/tmp/z', fs: 'ext4' }));
    expect(recs).toContainEqual(expect.objectContaining({ ev: 'unlink', path: '/tmp/z' }));
    expect(recs).toContainEqual(expect.objectContaining({ ev: 'mkdir', path: '/mnt/d', mode: '0755' }));
    expect(recs).toContainEqual(expect.objectContaining({ ev: 'mount', kind: 'new', source: 'none', target: '/mnt/d', fstype: 'tmpfs', flags: '0', data: '' }));
    expect(recs).toContainEqual(expect.objectContaining({ ev: 'umount', target: '/mnt/d', fstype: 'tmpfs', flags: '0' }));
    expect(recs).toContainEqual(expect.objectContaining({ ev: 'rmdir', path: '/mnt/d' }));
    expect(recs).toContainEqual(expect.objectContaining({ ev: 'chroot', path: '/', comm: 'chroot' }));
  });

  it('records pivot_root', () => {
    const recs = traced('unshare -m sh -c "mount --make-rprivate /; mkdir -p /n; mount -t tmpfs none /n; mkdir /n/old; cd /n; pivot_root . old"', ['vfs']).map(strip);
    expect(recs).toContainEqual(expect.objectContaining({ ev: 'pivot_root', newRoot: '.', putOld: 'old', fstype: 'tmpfs' }));
  });
});

describe('syscall trace records', () => {
  it('carry the call decoded as strace decodes it, and its result', () => {
    const recs = traced('cat /nope', ['syscall']).map(strip);
    expect(recs).toContainEqual({ ev: 'open', pid: 3, comm: 'cat', args: '"/nope", O_RDONLY', ret: '-1 ENOENT (No such file or directory)' });
    expect(recs).toContainEqual(expect.objectContaining({ ev: 'wait4', pid: 2, args: '-1', ret: 'blocked' }));
  });
});

describe('--trace-format json', () => {
  const script =
    'echo hi > /tmp/x; cat /nope; ls / > /dev/null; unshare -m -p -f --mount-proc sh -c "mount -t tmpfs none /mnt; umount /mnt"; sleep 0.01 & wait; sleep 5 & kill -9 $!; mkdir /sys/fs/cgroup/x; echo $$ > /sys/fs/cgroup/x/cgroup.procs; strace -f true 2>/dev/null; true';

  it('gives a JSON object per line, one set of fields per event, the same bytes on every run', () => {
    const lines = traced(script, 'all').map(formatTraceJson);
    const cats = new Set(lines.map((l) => (JSON.parse(l) as TraceRecord).cat));
    for (const c of ['sched', 'syscall', 'proc', 'signal', 'vfs', 'ns', 'explain'] as const) expect(cats).toContain(c);
    const shapes = new Map<string, Set<string>>();
    for (const l of lines) {
      const r = JSON.parse(l) as TraceRecord;
      const key = `${r.cat} ${r.ev}`;
      if (!shapes.has(key)) shapes.set(key, new Set());
      shapes.get(key)!.add(Object.keys(r).join(','));
    }
    for (const [key, s] of shapes) expect({ key, shapes: [...s] }).toEqual({ key, shapes: [[...s][0]] });
    expect(traced(script, 'all').map(formatTraceJson)).toEqual(lines);
  });
});
