/**
 * `ctsim run`: docker run for people who know docker — a container from an image
 * ctsim ships (or a root file system from this machine) on a fresh simulated host (or
 * the kept one with --root), its output printed and its status passed on.
 */
import { readStdinBytes } from './input-files.js';
import { existsSync, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from './base.js';
import { UsageError } from '../sim/input-error.js';
import { parseSize } from '../sim/units.js';
import { HostSession } from '../cli/host-session.js';
import { guardFlags, guardLimitsFrom } from '../cli/guard-limits.js';
import { checkSeed, hostCpusFrom, hostMemoryFrom, hostSwapFrom, timeLimitFrom } from './host-flags.js';
import { commandNames, ElfMapper, rootfsEntries } from '../cli/rootfs-import.js';
import { containerDir, volumeDir, type RunSpec } from '../runtime/docker-run.js';
import { listImages, loadImage } from '../runtime/images.js';
import { isRunEntry, planRun } from '../runtime/run-plan.js';
import { defaultPrograms } from '../userland/index.js';
import { defaultStateDir } from '../cli/state-store.js';


export default class Run extends BaseCommand {
  static override summary = 'Run a command in a new container, as docker run does (image, limits, network, volumes), on a simulated host.';
  static override description = `Makes a container the way docker does — an overlay root file system over the image, namespaces, a cgroup with the limits you give, the ctsim0 bridge with an address, a default route and MASQUERADE — by running runc and ip/iptables inside a simulated host, then prints the container's output and exits with its status (137 when the OOM killer ended it; as docker run, 127 when its command is not found, 126 when it cannot be run, 125 when the container could not start otherwise).

Without --root the host lives only for this command; with --root DIR it is the kept host of "ctsim oci --root DIR" (then -d makes sense, and "ctsim oci list/ps/exec/kill" see the container). --print-script shows the host-side steps instead of running them.`;
  static override strict = false;
  static override usage = 'run [FLAGS] -- COMMAND [ARG...]';
  static override examples = [
    '<%= config.bin %> run -- ps -e',
    '<%= config.bin %> run --image alpine -- cat /etc/os-release',
    '<%= config.bin %> run -m 32m -- stress --vm 1 --vm-bytes 64m',
    '<%= config.bin %> run --cpus 0.5 --pids-limit 20 --hostname web -- sh -c "hostname; cat /sys/fs/cgroup/cpu.max"',
    '<%= config.bin %> run -p 8080:80 --root /tmp/st -d -- httpd -f -p 80',
  ];
  static override flags = {
    name: Flags.string({ description: 'The container\'s name (default: a generated one, like docker\'s).' }),
    image: Flags.string({ description: `An image ctsim ships: ${listImages().join(', ')} (default busybox).`, exclusive: ['rootfs'] }),
    rootfs: Flags.string({ description: 'A root file system on this machine instead of an image: a directory or a .tar(.gz) archive.' }),
    memory: Flags.string({ char: 'm', description: 'Memory limit, e.g. 64m (memory.max).' }),
    'memory-swap': Flags.string({ description: 'Memory plus swap limit (default: twice --memory, as docker).' }),
    cpus: Flags.string({ description: 'CPUs the container may use, e.g. 0.5 (cpu.max quota per 100 ms period).' }),
    'cpu-shares': Flags.integer({ description: 'Relative CPU weight (cgroup v1 shares; runc turns them into cpu.weight).' }),
    'pids-limit': Flags.integer({ description: 'At most this many tasks (pids.max); 0 or -1 for no limit, as docker.' }),
    hostname: Flags.string({ description: 'The container\'s host name (default: the first 12 digits of its id).' }),
    user: Flags.string({ char: 'u', description: 'UID[:GID] to run as.' }),
    network: Flags.string({ description: 'bridge (the ctsim0 bridge with NAT, the default), none (loopback only) or host.', options: ['bridge', 'none', 'host'], default: 'bridge' }),
    publish: Flags.string({ char: 'p', description: 'HOSTPORT:CONTAINERPORT: publish a TCP port on the host (DNAT).', multiple: true }),
    volume: Flags.string({ char: 'v', description: 'HOSTDIR:CTRDIR[:ro]: bind a directory (copied from this machine into the host) into the container.', multiple: true }),
    env: Flags.string({ char: 'e', description: 'K=V: set an environment variable.', multiple: true }),
    workdir: Flags.string({ char: 'w', description: 'The working directory in the container.' }),
    rm: Flags.boolean({ description: 'Accepted for docker\'s habit: a stopped container is always removed (ctsim has no docker ps -a, logs or start).' }),
    detach: Flags.boolean({ char: 'd', description: 'Start it in the background and print its id (useful with --root).' }),
    interactive: Flags.boolean({ char: 'i', description: 'Keep standard input open: the container reads what you type (or what is piped in). Without -i it reads nothing, as with docker.' }),
    tty: Flags.boolean({ char: 't', description: 'Accepted for docker\'s -it habit; the container\'s streams stay pipes (ctsim gives containers no pseudo-terminal).' }),
    userns: Flags.boolean({ description: 'Remap users (docker\'s userns-remap): root in the container is uid 100000 on the host. docker\'s --userns=host (no remapping) is the default, and accepted.' }),
    root: Flags.string({ description: `Use the host kept in this directory (shared with ctsim oci --root; default: a fresh host). Example: ${defaultStateDir()}` }),
    'print-script': Flags.boolean({ description: 'Print the config.json and the host-side script instead of running them.' }),
    'host-cpus': Flags.integer({ description: 'CPUs of the simulated host (a fresh one).', default: 2, helpGroup: 'HOST' }),
    'host-memory': Flags.string({ description: 'RAM of the simulated host, e.g. 4G.', default: '4G', helpGroup: 'HOST' }),
    'host-swap': Flags.string({ description: 'Swap of the simulated host, e.g. 1G.', default: '0', helpGroup: 'HOST' }),
    seed: Flags.integer({ description: 'Seed of every random choice.', default: 1, helpGroup: 'HOST' }),
    'time-limit': Flags.string({ description: 'Stop waiting after this much simulated time (default 1h); the status is then 124.', helpGroup: 'LIMIT' }),
    ...guardFlags,
  };

  async run(): Promise<void> {
    // Everything after "--" is the container's command, untouched by flag parsing (its own -p is not ours).
    const raw = userNamespaceFlag([...this.argv]);
    const dashes = raw.indexOf('--');
    const { flags, argv } = await this.parse(Run, dashes >= 0 ? raw.slice(0, dashes) : raw);
    const spec = this.spec(flags, dashes >= 0 ? [...(argv as string[]), ...raw.slice(dashes + 1)] : (argv as string[]));
    const rootfsPath = flags.rootfs !== undefined ? resolvePath(flags.rootfs) : undefined;
    if (rootfsPath !== undefined && !existsSync(rootfsPath)) throw new UsageError({ source: '--rootfs', expected: 'a directory or .tar archive on this machine', found: `${flags.rootfs} (no such file or directory)` });
    const timeLimitNs = timeLimitFrom(flags['time-limit']);
    const hostCpus = hostCpusFrom('--host-cpus', flags['host-cpus']);
    const hostMemory = hostMemoryFrom('--host-memory', flags['host-memory']);
    const hostSwap = hostSwapFrom('--host-swap', flags['host-swap']);

    const session = HostSession.open({
      root: flags.root !== undefined ? resolvePath(flags.root) : undefined,
      shape: flags.root !== undefined ? {} : { cpus: hostCpus, memoryBytes: hostMemory, swapBytes: hostSwap },
      seed: flags.root !== undefined ? undefined : checkSeed(flags.seed),
      version: this.config.version,
      limits: guardLimitsFrom(flags),
    });
    let saved = false;
    try {
      const hostCpus = session.host.kernel.machine.cpus.length;
      if (spec.cpus !== undefined && (spec.cpus < 0.01 || spec.cpus > hostCpus)) {
        // docker: "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available".
        throw new UsageError({ source: '--cpus', expected: `from 0.01 to ${hostCpus}.00, as the host has only ${hostCpus} CPUs`, found: String(spec.cpus), fix: flags.root === undefined ? 'give fewer, or more --host-cpus' : 'give fewer' });
      }
      const table = defaultPrograms();
      const programs = new Set(table.all().map((s) => s.name));
      const elf = new ElfMapper(commandNames(table));
      const rootfs = rootfsPath !== undefined ? rootfsEntries(rootfsPath, elf, 'rootfs') : undefined;
      for (const w of elf.warnings(rootfsPath ?? '')) process.stderr.write(`ctsim run: ${w}\n`);
      // A volume is copied in afresh each run; a directory that does not exist here is made empty, as docker makes it.
      const volumes = spec.volumes.map((v) => ({ dest: volumeDir(v.hostPath), entries: existsSync(v.hostPath) && statSync(v.hostPath).isDirectory() ? rootfsEntries(v.hostPath, elf, '') : [] }));
      const plan = planRun(spec, session.count(isRunEntry), session.log.seed, programs, rootfs, volumes);
      if (flags['print-script']) {
        this.out(`# ${containerDir(plan.id)}/config.json\n${JSON.stringify(plan.config, null, 2)}\n\n# the host-side script (sh -c)\n${plan.script}`);
        return;
      }
      for (const bytes of plan.blobs.values()) session.putBlob(bytes);
      if (flags.interactive && !spec.detach && process.stdin.isTTY === true) {
        process.exitCode = await session.applyLive({ ...plan.entry, atNs: session.startTime(), stdin: '' });
        saved = true;
        return;
      }
      const stdin = flags.interactive && !spec.detach ? readStdinBytes("input for the container's command").toString('latin1') : '';
      const applied = session.apply({ ...plan.entry, atNs: session.startTime(), stdin }, timeLimitNs);
      if (applied.ended === 'time-limit') process.stderr.write(`ctsim run: stopped after ${flags['time-limit'] ?? '1h'} of simulated time; the container was still running\n`);
      process.exitCode = applied.status;
      saved = true;
    } finally {
      session.close(this.config.version, saved);
    }
  }

  /** The flags as a RunSpec, with docker's checks and messages. */
  private spec(flags: Record<string, unknown>, argv: string[]): RunSpec {
    const f = flags as Record<string, string | undefined> & { publish?: string[]; volume?: string[]; env?: string[] };
    const size = (flag: string, v: string | undefined): number | undefined => {
      if (v === undefined) return undefined;
      const n = parseSize(v);
      if (n === null || n <= 0) throw new UsageError({ source: `--${flag}`, expected: 'a size like 64m or 1g', found: v });
      return n;
    };
    const memoryBytes = size('memory', f.memory);
    if (memoryBytes !== undefined && memoryBytes < 6 * 1024 * 1024) throw new UsageError({ source: '--memory', expected: 'at least 6MB (docker\'s minimum memory limit)', found: f.memory });
    const swapArg = f['memory-swap'];
    const memorySwapBytes = swapArg === '-1' ? -1 : size('memory-swap', swapArg);
    if (memorySwapBytes !== undefined && memorySwapBytes > 0 && memoryBytes === undefined) {
      throw new UsageError({ source: '--memory-swap', expected: '--memory with it (docker: "You should always set the Memory limit when using Memoryswap limit")', found: `--memory-swap ${swapArg} alone`, fix: 'add --memory, or use --memory-swap -1' });
    }
    let cpus: number | undefined;
    if (f.cpus !== undefined) {
      cpus = Number(f.cpus);
      if (!Number.isFinite(cpus) || cpus <= 0) throw new UsageError({ source: '--cpus', expected: 'a positive number of CPUs, like 0.5 or 2', found: f.cpus });
    }
    let user: RunSpec['user'];
    if (f.user !== undefined) {
      const m = /^(\d+)(?::(\d+))?$/.exec(f.user);
      if (!m) throw new UsageError({ source: '--user', expected: 'UID or UID:GID (numbers: the image has no user database ctsim reads)', found: f.user });
      user = { uid: Number(m[1]), gid: Number(m[2] ?? m[1]) };
    }
    const publish = (f.publish ?? []).map((p) => {
      const m = /^(\d+):(\d+)(?:\/tcp)?$/.exec(p);
      if (!m) throw new UsageError({ source: '--publish', expected: 'HOSTPORT:CONTAINERPORT (TCP), like 8080:80', found: p });
      const bad = [m[1], m[2]].find((x) => Number(x) < 1 || Number(x) > 65535);
      if (bad !== undefined) throw new UsageError({ source: '--publish', expected: 'ports from 1 to 65535', found: `${bad} in ${p}` });
      return { hostPort: Number(m[1]), containerPort: Number(m[2]) };
    });
    const volumes = (f.volume ?? []).map((v) => {
      const parts = v.split(':');
      if (parts.length < 2 || parts.length > 3 || parts[0] === '' || !parts[1].startsWith('/') || (parts[2] !== undefined && parts[2] !== 'ro' && parts[2] !== 'rw')) {
        throw new UsageError({ source: '--volume', expected: 'HOSTDIR:CTRDIR[:ro|rw] with an absolute CTRDIR', found: v });
      }
      return { hostPath: resolvePath(parts[0]), containerPath: parts[1], readonly: parts[2] === 'ro' };
    });
    // docker's -e VAR passes VAR from this environment, or nothing when it is not set.
    const env = (f.env ?? []).flatMap((e) => {
      if (e === '' || e.startsWith('=')) throw new UsageError({ source: '--env', expected: 'K=V, or K to pass K from this environment', found: e });
      if (e.includes('=')) return [e];
      const v = process.env[e];
      return v === undefined ? [] : [`${e}=${v}`];
    });
    const image = f.rootfs !== undefined ? undefined : (f.image ?? 'busybox');
    if (image !== undefined && !loadImage(image)) throw new UsageError({ source: '--image', expected: `an image ctsim ships (${listImages().join(', ')})`, found: image, fix: 'or use --rootfs DIR' });
    const name = f.name;
    if (name !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw new UsageError({ source: '--name', expected: 'a name of letters, digits and _.- (docker\'s rule)', found: name });
    return {
      name,
      image: image && loadImage(image)!.name,
      memoryBytes,
      memorySwapBytes,
      cpus,
      cpuShares: flags['cpu-shares'] as number | undefined,
      // The Engine API's PidsLimit: 0 or -1 (any value <= 0) is unlimited.
      pidsLimit: (flags['pids-limit'] as number | undefined) !== undefined && (flags['pids-limit'] as number) > 0 ? (flags['pids-limit'] as number) : undefined,
      hostname: f.hostname,
      user,
      network: (f.network ?? 'bridge') as RunSpec['network'],
      publish,
      volumes,
      env,
      rm: flags.rm === true,
      detach: flags.detach === true,
      userns: flags.userns === true,
      cmd: argv,
      workdir: f.workdir,
    };
  }
}

/**
 * docker's --userns takes a value: "host" (no remapping, which is ctsim's default) or
 * nothing. ctsim's --userns is a switch (remap), so `--userns=host` is dropped and any
 * other value refused — oclif would otherwise take it for the container's command.
 */
function userNamespaceFlag(argv: string[]): string[] {
  const dashes = argv.indexOf('--');
  return argv.filter((a, i) => {
    if ((dashes >= 0 && i > dashes) || !a.startsWith('--userns=')) return true;
    if (a === '--userns=host') return false;
    throw new UsageError({ source: '--userns', expected: '--userns alone (remap users, as docker\'s userns-remap) or --userns=host (no remapping, the default)', found: a });
  });
}
