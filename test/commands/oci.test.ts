/**
 * `ctsim oci` as a user runs it: each command a separate ctsim process on one kept
 * host (--root), with runc's output, errors and exit statuses (OCI-NOTES.md §2–§5),
 * and a state directory that survives damage and concurrent use. Runs the built CLI
 * (bin/run.js → dist/), as `npm test` builds it first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { validateConfig, validateState } from '../../src/runtime/oci/index.js';

const BIN = path.join(REPO_ROOT, 'bin', 'run.js');

interface Out {
  stdout: string;
  stderr: string;
  status: number;
}

const ctsim = (args: string[], cwd = REPO_ROOT): Out => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', input: '' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
};

const ctsimAsync = (args: string[]): Promise<Out> =>
  new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ stdout, stderr, status: status ?? -1 }));
  });

const ERR = (msg: string): RegExp => new RegExp(`level=error msg=${JSON.stringify(msg).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}\n`);

let dir: string;
let bundle: string;

/** A bundle like runc's tutorial: `ctsim image export` for the rootfs, `ctsim oci spec`, then an edit. */
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ctsim-oci-'));
  bundle = path.join(dir, 'bundle');
  expect(ctsim(['image', 'export', 'busybox', path.join(bundle, 'rootfs')]).status).toBe(0);
  expect(ctsim(['oci', 'spec', '-b', bundle]).status).toBe(0);
  const cfg = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8'));
  cfg.process.terminal = false;
  cfg.process.args = ['sleep', '1000'];
  writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(cfg, null, '\t'));
}, 60_000);

describe('ctsim oci', () => {
  it('spec writes runc\'s starter config.json, which the official schema accepts; a second spec refuses', () => {
    const b = mkdtempSync(path.join(tmpdir(), 'ctsim-spec-'));
    expect(ctsim(['oci', 'spec'], b).status).toBe(0);
    const text = readFileSync(path.join(b, 'config.json'), 'utf8');
    const v = validateConfig(JSON.parse(text), 'config.json');
    expect(v.errors).toEqual([]);
    expect(text.startsWith('{\n\t"ociVersion": "1.3.0",\n\t"process": {\n\t\t"terminal": true,')).toBe(true);
    const again = ctsim(['oci', 'spec'], b);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(ERR('File config.json exists. Remove it first'));
  });

  it('a lifecycle across separate processes: create, state, start, ps, exec, kill, state, delete, list', () => {
    const root = ['--root', path.join(dir, 'st1')];
    const oci = (...a: string[]): Out => ctsim(['oci', ...root, ...a]);
    expect(oci('create', '-b', bundle, 'c1')).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const created = oci('state', 'c1');
    const st = JSON.parse(created.stdout);
    expect(st).toMatchObject({ ociVersion: '1.3.0', id: 'c1', status: 'created', bundle, rootfs: path.join(bundle, 'rootfs'), owner: '' });
    expect(st.pid).toBeGreaterThan(1);
    expect(created.stdout.endsWith('}')).toBe(true);
    expect(validateState(st).errors).toEqual([]);
    expect(oci('start', 'c1').status).toBe(0);
    const ps = oci('ps', 'c1');
    expect(ps.stdout).toMatch(new RegExp(`^UID +PID +PPID +C +STIME +TTY +TIME +CMD\nroot +${st.pid} +1 .* sleep 1000\n$`));
    expect(oci('ps', '--format', 'json', 'c1').stdout).toBe(`[${st.pid}]\n`);
    expect(oci('exec', 'c1', '--', 'hostname')).toMatchObject({ status: 0, stdout: 'runc\n' });
    expect(oci('exec', 'c1', 'sh', '-c', 'exit 7').status).toBe(7);
    expect(oci('kill', 'c1', 'KILL').status).toBe(0);
    const stopped = JSON.parse(oci('state', 'c1').stdout);
    expect(stopped).toMatchObject({ status: 'stopped', pid: 0 });
    expect(validateState(stopped).errors).toEqual([]);
    expect(oci('delete', 'c1').status).toBe(0);
    expect(oci('list', '--format', 'json')).toMatchObject({ status: 0, stdout: 'null\n' });
  }, 120_000);

  it('wrong orders get runc\'s errors and exit 1', () => {
    const oci = (...a: string[]): Out => ctsim(['oci', '--root', path.join(dir, 'st2'), ...a]);
    let r = oci('start', 'c9');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(ERR('container does not exist'));
    expect(oci('run', '-d', '-b', bundle, 'c2').status).toBe(0);
    r = oci('start', 'c2');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(ERR('cannot start an already running container'));
    r = oci('delete', 'c2');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(ERR('cannot delete container c2 that is not stopped: running'));
    r = oci('create', '-b', bundle, 'c2');
    expect(r.stderr).toMatch(ERR('runc create failed: container with given ID already exists'));
    r = oci('resume', 'c2');
    expect(r.stderr).toMatch(ERR('container not paused'));
    expect(oci('pause', 'c2').status).toBe(0);
    expect(JSON.parse(oci('state', 'c2').stdout).status).toBe('paused');
    r = oci('exec', 'c2', 'true');
    expect(r.status).toBe(255);
    expect(r.stderr).toMatch(ERR('exec failed: cannot exec in a paused container (use --ignore-paused to override)'));
    expect(oci('resume', 'c2').status).toBe(0);
    // exec -p: the process from a file on this machine; after the id, -p and -d are the command's own.
    const proc = path.join(dir, 'process.json');
    writeFileSync(proc, JSON.stringify({ args: ['hostname'], cwd: '/', user: { uid: 0, gid: 0 }, env: ['PATH=/bin'] }));
    expect(oci('exec', '-p', proc, 'c2')).toMatchObject({ status: 0, stdout: 'runc\n' });
    expect(oci('exec', 'c2', 'ls', '-d', '/')).toMatchObject({ status: 0, stdout: '/\n' });
    expect(oci('delete', '-f', 'c2').status).toBe(0);
    expect(oci('list', '-q').stdout).toBe('');
  }, 120_000);

  it('a config.json the schema or the rules reject: the JSON path and the rule, exit 1, nothing left behind', () => {
    const b = path.join(dir, 'badbundle');
    expect(ctsim(['image', 'export', 'busybox', path.join(b, 'rootfs')]).status).toBe(0);
    const cfg = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8'));
    cfg.process.cwd = 'relative/dir';
    cfg.linux.namespaces.push({ type: 'pid' });
    writeFileSync(path.join(b, 'config.json'), JSON.stringify(cfg));
    const root = path.join(dir, 'st3');
    const r = ctsim(['oci', '--root', root, 'create', '-b', b, 'c3']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('config.json: process.cwd:');
    expect(r.stderr).toContain('config.json: linux.namespaces[6].type:');
    expect(ctsim(['oci', '--root', root, 'list', '--format', 'json']).stdout).toBe('null\n');
  }, 60_000);

  it('a damaged or unknown state is reported with the way out, and reset starts over', () => {
    const root = path.join(dir, 'st4');
    expect(ctsim(['oci', '--root', root, 'list']).status).toBe(0);
    writeFileSync(path.join(root, 'host.json'), '{"format":"ctsim-host-state","version":99}');
    let r = ctsim(['oci', '--root', root, 'list']);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`ctsim oci: ${path.join(root, 'host.json')}: expected a ctsim host state, found state format version 99 is not the one this ctsim reads (1): it was written by a newer ctsim (fix: run "ctsim oci --root ${root} reset" to start over with an empty host)\n`);
    writeFileSync(path.join(root, 'host.json'), '{"format":"ctsim-host');
    r = ctsim(['oci', '--root', root, 'list']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('the file is damaged');
    expect(ctsim(['oci', '--root', root, 'reset']).status).toBe(0);
    expect(ctsim(['oci', '--root', root, 'list', '-f', 'json'])).toMatchObject({ status: 0, stdout: 'null\n' });
  }, 60_000);

  it('two invocations at once on one --root both land, one after the other', async () => {
    const root = path.join(dir, 'st5');
    expect(ctsim(['oci', '--root', root, 'run', '-d', '-b', bundle, 'c5']).status).toBe(0);
    const [a, b] = await Promise.all([ctsimAsync(['oci', '--root', root, 'exec', 'c5', 'hostname']), ctsimAsync(['oci', '--root', root, 'exec', 'c5', 'hostname'])]);
    expect([a.status, b.status]).toEqual([0, 0]);
    const log = JSON.parse(readFileSync(path.join(root, 'host.json'), 'utf8'));
    expect(log.entries.map((e: { argv: string[] }) => e.argv[1])).toEqual(['run', 'exec', 'exec']);
    expect(existsSync(path.join(root, 'lock'))).toBe(false);
  }, 60_000);

  it('the same bundle under oci run and as ctsim run --rootfs shows the same', () => {
    const cfg = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8'));
    const script = 'ps -e -o pid,comm; hostname; id; ls /; cat /proc/self/cgroup; ip -br link';
    cfg.process.args = ['sh', '-c', script];
    const b = path.join(dir, 'same');
    expect(ctsim(['image', 'export', 'busybox', path.join(b, 'rootfs')]).status).toBe(0);
    writeFileSync(path.join(b, 'config.json'), JSON.stringify(cfg));
    const viaOci = ctsim(['oci', '--root', path.join(dir, 'st6'), 'run', '-b', b, 'same']);
    const viaRun = ctsim(['run', '--rootfs', path.join(b, 'rootfs'), '--hostname', 'runc', '--network', 'none', '--', 'sh', '-c', script]);
    expect(viaOci.status).toBe(0);
    expect(viaRun).toMatchObject({ status: 0, stdout: viaOci.stdout });
    expect(viaOci.stdout).toContain('    1 sh\n');
  }, 60_000);
});
