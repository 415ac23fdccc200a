/**
 * The namespace tree: every namespace a live process is in, nested PID and user
 * namespaces below their parents (pid_namespaces(7), user_namespaces(7)), each
 * process with its PID inside and in the initial PID namespace — checked against what
 * the same host's /proc says.
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../../src/index.js';
import { namespaceForest, renderNsTree, type NsView } from '../../../src/teach/views/index.js';

function nestedHost() {
  const host = createHost({ cpus: 2, seed: 1 });
  host.sh('unshare -U -p -f sleep 100 & unshare -p -f sleep 100 & sleep 0.1');
  return host;
}

describe('namespaceForest', () => {
  it('hangs a new PID namespace below the initial one, with its process numbered 1 inside', () => {
    const host = nestedHost();
    const [pid] = namespaceForest(host.kernel, ['pid']);
    expect(pid.roots).toHaveLength(1);
    const root = pid.roots[0];
    expect(root.inode).toBe(4026531836);
    expect(root.children).toHaveLength(2);
    for (const child of root.children) {
      expect(child.processes).toHaveLength(1);
      expect(child.processes[0]).toMatchObject({ pid: 1, comm: 'sleep' });
      expect(child.processes[0].hostPid).toBeGreaterThan(1);
    }
    // The inode is what /proc/PID/ns/pid names for that process.
    const p = root.children[0].processes[0];
    const link = host.sh(`readlink /proc/${p.hostPid}/ns/pid`).stdout.trim();
    expect(link).toBe(`pid:[${root.children[0].inode}]`);
  });

  it('gives a PID namespace made inside a new user namespace that user namespace as its owner', () => {
    const host = nestedHost();
    const [pid, user] = namespaceForest(host.kernel, ['pid', 'user']);
    const userChild = user.roots[0].children;
    expect(userChild).toHaveLength(1);
    const owners = pid.roots[0].children.map((c: NsView) => c.ownerInode);
    expect(owners).toContain(userChild[0].inode);
    expect(owners).toContain(user.roots[0].inode);
  });

  it('counts the members of a namespace as lsns NPROCS does', () => {
    const host = nestedHost();
    const [uts] = namespaceForest(host.kernel, ['uts']);
    const lsns = host.sh('lsns -t uts -n -o NPROCS').stdout.trim();
    // lsns itself and the shell running it are members too when it counts.
    expect(Number(lsns)).toBe(uts.roots[0].nprocs + 2);
  });

  it('draws each type under a heading, processes before nested namespaces', () => {
    const host = nestedHost();
    const lines = renderNsTree(namespaceForest(host.kernel, ['pid']));
    expect(lines[0]).toBe('pid namespaces');
    expect(lines[1]).toMatch(/^4026531836 pid {2}nprocs \d+ {2}owner user 4026531837$/);
    expect(lines[2]).toBe('|-1 init');
    expect(lines.some((l) => /^\| `-1 sleep {2}\(PID \d+ in the initial PID namespace\)$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^ {2}`-1 sleep/);
    expect(renderNsTree(namespaceForest(host.kernel, ['pid']), { processes: false })).toHaveLength(4);
  });

  it('changes nothing: the namespaces keep their reference counts', () => {
    const host = nestedHost();
    const before = [...host.kernel.tasks.values()].map((t) => t.pidNs.refs);
    namespaceForest(host.kernel);
    expect([...host.kernel.tasks.values()].map((t) => t.pidNs.refs)).toEqual(before);
  });
});
