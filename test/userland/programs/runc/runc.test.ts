/**
 * The simulated runc inside a host: the OCI lifecycle (runtime.md "Lifecycle") and
 * runc's messages and exit statuses for commands given in the wrong order
 * (../shared/reference/OCI-NOTES.md §2, §5).
 */
import { describe, expect, test } from 'vitest';
import { createHost } from '../../../../src/index.js';
import { runcDefaultSpec, validateState, type OciConfig } from '../../../../src/runtime/oci/index.js';

/** A shell script that makes /b with a small rootfs and the given config.json. */
function bundle(edit: (c: OciConfig) => void = () => {}): string {
  const c = runcDefaultSpec({ rootless: false, uid: 0, gid: 0 });
  c.process!.terminal = false;
  c.process!.args = ['sleep', '100'];
  edit(c);
  return `mkdir -p /b/rootfs/bin /b/rootfs/proc /b/rootfs/dev /b/rootfs/sys /b/rootfs/etc /b/rootfs/tmp
cp /bin/sh /bin/ls /bin/cat /bin/ps /bin/hostname /bin/sleep /bin/echo /bin/id /bin/grep /b/rootfs/bin/
cat > /b/config.json <<'EOF_CONFIG'
${JSON.stringify(c, null, 2)}
EOF_CONFIG
cd /b
`;
}

const sh = (script: string): { stdout: string; stderr: string; status: number } => createHost({ cpus: 2, seed: 1 }).sh(script);
const ERR = (msg: string): RegExp => new RegExp(`^time="[0-9T:Z-]+" level=error msg=${JSON.stringify(msg).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}\n`, 'm');

describe('runc lifecycle', () => {
  test('create → created with a waiting init; start → running; exec; kill → stopped; delete → gone', () => {
    const r = sh(
      bundle() +
        `runc create c1; echo create=$?
runc state c1 | grep -e status -e '"pid"'
ps -e -o comm= | grep runc
runc start c1; echo start=$?
runc state c1 | grep -e status
runc ps --format json c1
runc exec c1 hostname; echo exec=$?
runc exec c1 ps -e -o pid=,comm=
runc kill c1 KILL; echo kill=$?
sleep 0.01
runc state c1 | grep -e status -e '"pid"'
runc delete c1; echo delete=$?
runc list --format json
ls /run/runc; ls /sys/fs/cgroup | grep -c c1`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'create=0\n  "pid": 8,\n  "status": "created",\nrunc:[2:INIT]\nstart=0\n  "status": "running",\n[8]\nrunc\nexec=0\n    1 sleep\n    3 ps\nkill=0\n  "pid": 0,\n  "status": "stopped",\ndelete=0\nnull\n0\n',
    );
  });

  test('state JSON validates against state-schema.json in every status, paused included', () => {
    const r = sh(bundle() + 'runc create c1; runc state c1; echo; runc start c1; runc pause c1; runc state c1; echo; runc kill c1 KILL; sleep 0.01; runc state c1');
    const docs = r.stdout.split('\n}').filter((s) => s.trim()).map((s) => JSON.parse(s + '\n}'));
    expect(docs.map((d) => d.status)).toEqual(['created', 'paused', 'stopped']);
    for (const d of docs) expect(validateState(d).errors).toEqual([]);
  });

  test('commands in the wrong order: runc\'s errors, exit 1 (exec: 255)', () => {
    const r = sh(
      bundle() +
        `runc start c0; echo $?
runc create c1; runc create c1; echo $?
runc resume c1; echo $?
runc start c1; runc start c1; echo $?
runc delete c1; echo $?
runc kill c1 NOPE; echo $?
runc kill c1 9; sleep 0.01
runc start c1; echo $?
runc exec c1 true; echo $?
runc kill c1; echo $?
runc pause c1; echo $?
runc create 'bad/id'; echo $?`,
    );
    expect(r.stdout).toBe('1\n1\n1\n1\n1\n1\n1\n255\n1\n1\n1\n');
    for (const m of [
      'container does not exist',
      'runc create failed: container with given ID already exists',
      'container not paused',
      'cannot start an already running container',
      'cannot delete container c1 that is not stopped: running',
      'unknown signal "NOPE"',
      'cannot start a container that has stopped',
      'exec failed: cannot exec in a stopped container',
      'container not running',
      'runc create failed: invalid container ID format',
    ]) {
      expect(r.stderr).toMatch(ERR(m));
    }
  });

  test('a failed create leaves nothing behind: no state, no cgroup, no process', () => {
    const r = sh(bundle((c) => (c.process!.args = ['nosuch'])) + 'runc create c1; echo $?; ls -A /run/runc; ls /sys/fs/cgroup | grep -c c1; ps -e -o comm= | grep -c runc; runc list -q');
    expect(r.stdout).toBe('1\n0\n0\n');
    expect(r.stderr).toMatch(ERR('runc create failed: unable to start container process: exec: "nosuch": executable file not found in $PATH'));
  });

  test('run in the foreground exits with the container\'s status and removes it', () => {
    const r = sh(bundle((c) => (c.process!.args = ['sh', '-c', 'echo in $(hostname) as pid $$; exit 3'])) + 'runc run c1; echo status=$?; runc list -q');
    expect(r.stdout).toBe('in runc as pid 1\nstatus=3\n');
  });

  test('pause and resume freeze and thaw the cgroup', () => {
    const r = sh(bundle() + 'runc run -d c1; runc pause c1; cat /sys/fs/cgroup/c1/cgroup.freeze; runc list; runc resume c1; cat /sys/fs/cgroup/c1/cgroup.freeze; runc resume c1');
    expect(r.stdout).toMatch(/^1\nID +PID +STATUS +BUNDLE +CREATED +OWNER\nc1 +8 +paused +\/b +2025-01-01T00:00:00\.\d+Z +root\n0\n$/);
    expect(r.stderr).toMatch(ERR('container not paused'));
  });

  test('resources become cgroup v2 files as runc writes them', () => {
    const r = sh(
      bundle((c) => (c.linux!.resources = { memory: { limit: 33554432, swap: 67108864 }, cpu: { quota: 50000, period: 100000, shares: 1024 }, pids: { limit: 20 } })) +
        'runc create c1; cd /sys/fs/cgroup/c1; cat memory.max memory.swap.max cpu.max cpu.weight pids.max',
    );
    expect(r.stdout).toBe('33554432\n33554432\n50000 100000\n100\n20\n');
  });

  test('the container sees its own pid 1, hostname, mounts and cgroup root', () => {
    const r = sh(bundle((c) => (c.process!.args = ['sh', '-c', 'ps -e -o pid=,comm=; hostname; cat /proc/self/cgroup; ls /b 2>&1; grep -c " /proc " /proc/self/mountinfo'])) + 'runc run c1');
    expect(r.stdout).toBe('    1 sh\n    2 ps\nrunc\n0::/\nls: cannot access \'/b\': No such file or directory\n1\n');
  });

  test('the container\'s init and an exec\'d process lead sessions of their own, with no controlling terminal (nsexec calls setsid)', () => {
    const r = sh(bundle((c) => (c.process!.args = ['sleep', '100'])) + 'runc run -d c1; runc exec c1 ps -e -o pid=,sid=,tty=,comm=; ps -C sleep -o pid=,sid=,tty=');
    // Checked on Linux 6.18 with runc 1.1.5: inside, sleep is 1 1 ? and ps leads its own session; outside, the init's SID is its host PID.
    expect(r.stdout).toMatch(/^ +1 +1 \? +sleep\n +(\d+) +\1 \? +ps\n +(\d+) +\2 \?\n$/);
  });

  test('hooks run in order with the state on standard input', () => {
    const hook = (name: string): { path: string; args: string[] } => ({ path: '/bin/sh', args: ['sh', '-c', `cat > /tmp/${name}.json`] });
    const r = sh(
      bundle((c) => {
        c.root!.readonly = false;
        // createContainer runs in the container's namespaces before pivot_root (host paths), startContainer after it (container paths).
        c.hooks = { createRuntime: [hook('createRuntime')], createContainer: [hook('createContainer')], startContainer: [hook('startContainer')], poststart: [hook('poststart')], poststop: [hook('poststop')] };
      }) + 'runc run -d c1; sleep 0.01; for h in createRuntime createContainer poststart; do cat /tmp/$h.json; echo; done; cat /b/rootfs/tmp/startContainer.json; echo; runc delete -f c1; cat /tmp/poststop.json',
    );
    expect(r.stdout).toBe(
      [
        '{"ociVersion":"1.3.0","id":"c1","status":"creating","pid":8,"bundle":"/b"}',
        '{"ociVersion":"1.3.0","id":"c1","status":"creating","pid":8,"bundle":"/b"}',
        '{"ociVersion":"1.3.0","id":"c1","status":"running","pid":8,"bundle":"/b"}',
        '{"ociVersion":"1.3.0","id":"c1","status":"created","pid":8,"bundle":"/b"}',
        '{"ociVersion":"1.3.0","id":"c1","status":"stopped","bundle":"/b"}',
      ].join('\n'),
    );
  });

  test('a failing createRuntime hook fails create, undoes it and still runs the poststop hooks', () => {
    const r = sh(
      bundle((c) => (c.hooks = { createRuntime: [{ path: '/bin/sh', args: ['sh', '-c', 'exit 2'] }], poststop: [{ path: '/bin/sh', args: ['sh', '-c', 'cat > /tmp/poststop.json'] }] })) +
        'runc create c1; echo $?; cat /tmp/poststop.json; echo; runc list -q; ls /sys/fs/cgroup | grep -c c1; ps -e -o comm= | grep -c runc',
    );
    expect(r.stdout).toBe('1\n{"ociVersion":"1.3.0","id":"c1","status":"stopped","bundle":"/b"}\n0\n0\n');
    expect(r.stderr).toMatch(ERR('runc create failed: unable to start container process: error running createRuntime hook #0: error running hook: exit status 2, stdout: , stderr: '));
  });

  test('rootfsPropagation shared (recursive, as runc applies it): the rootfs\'s parent mount is made private so pivot_root works; / stays shared inside', () => {
    const r = sh(bundle((c) => ((c.linux!.rootfsPropagation = 'shared'), (c.process!.args = ['sh', '-c', 'read l < /proc/self/mountinfo; case "$l" in *shared:*) echo shared;; *) echo not shared;; esac']))) + 'runc run c1; echo $?');
    expect(r.stdout).toBe('shared\n0\n');
  });

  test('ids are checked by every command; mount destinations stay inside the rootfs', () => {
    const r = sh(
      bundle((c) => {
        c.process!.args = ['sh', '-c', 'grep -c " /tmp " /proc/self/mountinfo; grep -c " /x " /proc/self/mountinfo'];
        c.mounts!.push({ destination: 'tmp', type: 'tmpfs', source: 'tmpfs' }, { destination: '/../../x', type: 'tmpfs', source: 'tmpfs' });
      }) + 'runc delete ../x; echo $?; runc state ../../etc; echo $?; runc run c1; ls -d /b/rootfstmp /x 2>&1',
    );
    expect(r.stdout).toBe("1\n1\n1\n1\nls: cannot access '/b/rootfstmp': No such file or directory\nls: cannot access '/x': No such file or directory\n");
    expect(r.stderr).toMatch(ERR('invalid container ID format'));
  });

  test('a user namespace with uidMappings: root inside is uid 100000 outside', () => {
    const r = sh(
      bundle((c) => {
        c.linux!.namespaces!.push({ type: 'user' });
        c.linux!.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
        c.linux!.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
        c.root!.readonly = false;
      }) + "runc run -d c1; runc exec c1 sh -c 'id; cat /proc/self/uid_map'; ps -o user=,comm= -p $(runc ps -f json c1 | tr -d '[]')",
    );
    expect(r.stdout).toBe('uid=0 gid=0 groups=0\n         0     100000      65536\n100000   sleep\n');
  });

  test('events --stats prints one stats event', () => {
    const r = sh(bundle() + 'runc run -d c1; runc events --stats c1');
    const ev = JSON.parse(r.stdout);
    expect(ev).toMatchObject({ type: 'stats', id: 'c1', data: { pids: { current: 1 } } });
  });
});

describe('runc --log and --log-format (checked against runc 1.1.5)', () => {
  test('the error goes to the log file in logrus text or JSON, the bare message to stderr; the file is made even without an error', () => {
    const r = sh(`runc --log /tmp/t.log state nosuch; echo "status $?"; cat /tmp/t.log
runc --log /tmp/j.log --log-format json state nosuch; cat /tmp/j.log
runc --log /tmp/ok.log list >/dev/null; ls /tmp/ok.log`);
    expect(r.stdout).toBe(
      'status 1\ntime="2025-01-01T00:00:00Z" level=error msg="container does not exist"\n{"level":"error","msg":"container does not exist","time":"2025-01-01T00:00:00Z"}\n/tmp/ok.log\n',
    );
    expect(r.stderr).toBe('container does not exist\ncontainer does not exist\n');
  });

  test('a bad format or a log that cannot be opened ends runc before the command, on stderr', () => {
    const r = sh('runc --log-format xml list; echo "status $?"; runc --log /nodir/f list; echo "status $?"');
    expect(r.stdout).toBe('status 1\nstatus 1\n');
    expect(r.stderr).toBe('time="2025-01-01T00:00:00Z" level=error msg="invalid log-format: xml"\ntime="2025-01-01T00:00:00Z" level=error msg="open /nodir/f: no such file or directory"\n');
  });
});
