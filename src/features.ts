/**
 * What ctsim models, in one table (STYLE.md "Support table"): system calls,
 * namespaces, cgroup controllers, devices, file systems, scheduling policies,
 * virtualization modes and programs — each full, partial (with a note) or none.
 * `ctsim features` prints it and docs/FEATURES.md is generated from it.
 */
import { syscallSupport, type SupportLevel } from './kernel/syscalls/support.js';
import { defaultPrograms } from './userland/index.js';

export type { SupportLevel };

export const FEATURE_AREAS = ['syscall', 'namespace', 'cgroup', 'device', 'filesystem', 'scheduler', 'memory', 'network', 'runtime', 'virtualization', 'program'] as const;
export type FeatureArea = (typeof FEATURE_AREAS)[number];

export interface Feature {
  area: FeatureArea;
  name: string;
  level: SupportLevel;
  note: string;
}

const f = (area: FeatureArea, name: string, level: SupportLevel, note = ''): Feature => ({ area, name, level, note });

/** Every feature, grouped by area in FEATURE_AREAS order. */
export function features(): Feature[] {
  const out: Feature[] = [];
  for (const s of syscallSupport()) out.push(f('syscall', `${s.name} (${s.nr})`, s.level, s.note));
  const NS_NOTES: Record<string, [SupportLevel, string]> = {
    cgroup: ['partial', 'created by clone/unshare, joined by setns; the cgroup hierarchy itself comes later in this issue'],
    ipc: ['partial', 'per-namespace object registry and sysctls; the System V calls come later in this issue'],
    mnt: ['partial', 'per-namespace mount trees copied on unshare, shared/slave/private/unbindable propagation with peer groups, locked mounts for less privileged namespaces; tmpfs, proc, bind and move mounts'],
    net: ['partial', 'a new namespace has its own lo (DOWN), devices, addresses, routes, neighbour table, sockets and ports; its veth devices die with it (and their peers), physical NICs return to the initial namespace'],
    pid: ['full', 'nesting to 32 levels, NSpid, init and its signal rules, zap of the namespace when init dies, reparenting to the namespace init, a procfs per namespace'],
    time: ['none', 'only the initial time namespace exists (CLONE_NEWTIME is not offered)'],
    user: ['partial', 'uid_map/gid_map with Linux\'s write rules, setgroups, overflow IDs, capabilities per namespace, ownership of the other namespaces; no file capabilities'],
    uts: ['full', 'host and domain names per namespace'],
  };
  for (const [ns, [level, note]] of Object.entries(NS_NOTES)) out.push(f('namespace', ns, level, note));
  out.push(
    f('cgroup', 'core (cgroup v2 at /sys/fs/cgroup)', 'partial', 'mkdir/rmdir, cgroup.procs migration with the no-internal-process and delegation rules, subtree_control top-down rules, events, max.depth/max.descendants, stat, kill, freeze; threaded mode (cgroup.type "threaded") is refused with EOPNOTSUPP; no pressure (PSI) files; clone3 CLONE_INTO_CGROUP is not offered'),
    f('cgroup', 'cpu', 'partial', 'cpu.weight shares by flattening the group hierarchy into effective weights on the one fair runqueue (machine-wide, not per CPU); cpu.max bandwidth with nr_periods/nr_throttled/throttled_usec, debt carried into the next period; cpu.idle=1 and burst accounting are not modelled'),
    f('cgroup', 'memory', 'partial', 'pages charged to the faulting process\'s group and ancestors; memory.max reclaims inside the group, then OOM-kills inside it (memory.oom.group too); memory.high counts events, reclaims and delays by a flat 1 ms per page over; memory.swap.max; memory.stat a subset; memory.low/min are stored but not honoured by reclaim'),
    f('cgroup', 'pids', 'full', 'pids.max refuses fork with EAGAIN, pids.current/peak/events(.local)'),
    f('cgroup', 'cpuset, io, hugetlb, rdma, misc', 'none', 'can be enabled in subtree_control (as runc does) but have no interface files and no effect'),
  );
  out.push(
    f('device', '/dev/null (1,3)', 'full'),
    f('device', '/dev/zero (1,5)', 'full'),
    f('device', '/dev/full (1,7)', 'full'),
    f('device', '/dev/random (1,8), /dev/urandom (1,9)', 'full', 'bytes from the kernel\'s seeded stream, so runs are reproducible'),
    f('device', '/dev/tty (5,0), /dev/pts/N (136,N)', 'partial', 'canonical mode, ISIG, ONLCR, job control; line editing and echo are done by the real terminal'),
    f('device', '/dev/console (5,1)', 'partial', 'output goes to the serial console when the command line says console=ttyS0 (a VM\'s), else it is kept in the kernel; reading it gives end of file'),
    f('device', '/dev/ttyS0 (4,64)', 'partial', 'on a machine with a serial port (a VM\'s 16550A): the 8250 driver\'s terminal with canonical input from the line (ICRNL, ECHO, ECHOE, ECHOCTL, ERASE ^?, KILL ^U, WERASE ^W, ^C ^\\ ^Z ^D), controlling terminal and job control, ONLCR output; console=ttyS0 makes it the kernel\'s console (the whole log replayed when it registers, then every printk line). Simplifications: only COM1 (no ttyS1-3); no printk log levels (quiet and loglevel= change nothing); termios cannot be changed (TCSETS is ignored)'),
    f('device', 'disks', 'none', 'come with the hypervisor issue'),
    f('device', 'eth0 (physical NIC)', 'partial', 'one NIC cabled to the simulated outside network; see the network rows'),
  );
  out.push(
    f('filesystem', 'ext4 (root, simfs on memfs)', 'partial', 'inodes, modes, owners, times, hard and symbolic links; no quotas, xattrs or journalling'),
    f('filesystem', 'tmpfs', 'partial', 'as simfs; the root directory belongs to the mounter (its fsuid/fsgid); size= is shown but not enforced'),
    f('filesystem', 'proc', 'partial', 'a procfs per PID namespace; PID directories (status, stat, cmdline, environ, comm, fd/, ns/, cwd, root, exe, maps, mounts, mountinfo, cgroup, uid_map, gid_map, setgroups, limits, oom_score, oom_score_adj, statm, schedstat), self, uptime, loadavg, stat, meminfo, vmstat, cpuinfo, version, mounts, net/dev, net/arp, net/route, net/nf_conntrack (the reader\'s network namespace), sysvipc/, sys/kernel (host and domain name per UTS namespace, System V IPC limits per IPC namespace, cap_last_cap), sys/user (max_*_namespaces per user namespace), sys/net/ipv4 (ip_forward, ping_group_range per network namespace), sys/vm (min_free_kbytes, overcommit_memory, overcommit_ratio)'),
    f('filesystem', 'devtmpfs, devpts', 'partial', 'the nodes listed under devices; mount -t devpts makes a new instance (gid=, mode=, ptmxmode= shown) holding only ptmx, whose terminals cannot be allocated'),
    f('filesystem', 'mqueue', 'partial', 'mountable (runc and docker mount it at /dev/mqueue); POSIX message queues themselves are not modelled'),
    f('filesystem', 'FIFOs (mkfifo)', 'full', 'mknod S_IFIFO on the root file system, tmpfs and through overlay; open waits for the other side as fifo(7) says (O_NONBLOCK: a reader opens at once, a writer gets ENXIO; O_RDWR never waits; signals give EINTR or a restart); data goes through a 64 KiB pipe that exists while the FIFO is open'),
    f('filesystem', 'cgroup2', 'partial', 'see the cgroup rows; rooted at the mounter\'s cgroup-namespace root'),
    f('filesystem', 'nsfs', 'full', 'the inodes behind /proc/PID/ns links; bind mounts and open files keep namespaces alive; ioctl_ns NS_GET_USERNS/PARENT/NSTYPE/OWNER_UID'),
    f('filesystem', 'sysfs', 'partial', 'class/net links into devices/…/net/NAME with address, mtu, operstate, carrier, flags, ifindex, iflink, statistics/*, master, bridge/, brif/, brport/ — for the mounter\'s network namespace (NET-04); the rest is a skeleton (block, fs/cgroup, kernel)'),
    f('filesystem', 'overlay', 'partial', 'lowerdir (several), upperdir, workdir; copy-up with mode, owner and times, whiteouts as 0/0 character devices, opaque directories, EXDEV for renaming lower directories; layers must be simfs; opaque state is kept by the mount rather than in an xattr'),
  );
  out.push(
    f('scheduler', 'SCHED_OTHER (CFS-like)', 'partial', 'weighted fair by nice (Linux\'s weights), sched_latency/min_granularity/wakeup_granularity, START_DEBIT, sleeper credit; one runqueue for all CPUs'),
    f('scheduler', 'SCHED_FIFO, SCHED_RR', 'partial', 'priorities 1-99 above CFS; RR quantum 100 ms; no RT throttling'),
    f('scheduler', 'SCHED_BATCH, SCHED_IDLE', 'partial', 'scheduled as SCHED_OTHER without wake-up preemption'),
    f('scheduler', 'load average', 'partial', 'Linux\'s fixed-point decay every 5 s, sampled when read'),
  );
  out.push(
    f('memory', 'page frames', 'full', '4 KiB frames with owner, map count, referenced and dirty bits; contents stored only for frames holding non-zero bytes'),
    f('memory', 'x86-64 page tables and MMU walk', 'partial', '4 levels in simulated frames, P/RW/US/A/D/NX bits, 4 references per walk; no large pages, PCID, SMEP/SMAP'),
    f('memory', 'TLB', 'partial', 'one set-associative TLB per CPU (size and ways from the cost table), LRU within a set, flushed on CR3 load, INVLPG and shootdowns; no second level, no PCID'),
    f('memory', 'demand paging, zero page, copy-on-write fork', 'full'),
    f('memory', 'memory accesses', 'partial', 'programs touch address ranges page by page (one access per page), not byte by byte'),
    f('memory', 'swap and page replacement', 'partial', 'one swap device (--swap), direct reclaim below vm.min_free_kbytes by --swap-policy clock (default), lru (exact), fifo or rand; no swap cache, no kswapd, no active/inactive lists'),
    f('memory', 'OOM killer', 'partial', 'badness = RSS + swap entries + page tables + oom_score_adj (/proc/PID/oom_score, oom_score_adj); kills (with every process sharing the address space), logs as Linux 6.1 does, reaps at once; with nobody killable the faulting process dies where Linux panics; no memory cgroups yet'),
    f('memory', 'overcommit', 'full', 'vm.overcommit_memory 0 (heuristic), 1 (always), 2 (CommitLimit from vm.overcommit_ratio); Committed_AS in /proc/meminfo'),
    f('memory', 'mmap', 'partial', 'anonymous and private file mappings, MAP_FIXED(_NOREPLACE); no MAP_SHARED, mprotect, mremap, mlock'),
    f('memory', 'address-space layout randomisation', 'none', 'addresses are fixed, as with `setarch -R`, so runs are reproducible'),
    f('memory', 'huge pages, NUMA, KSM', 'none'),
  );
  out.push(
    f('network', 'devices: lo, veth, bridge, 802.1Q VLAN', 'partial', 'administrative state, carrier and operstate as Linux derives them, counters (/proc/net/dev), deterministic random MACs (locally administered); the bridge learns, ages (300 s) and floods, takes its smallest port MAC, filters VLANs per port (PVID, untagged); no STP, no multicast snooping, no bonding'),
    f('network', 'IPv4 addresses and routes', 'partial', 'local/broadcast/prefix routes made from addresses as fib_add_ifaddr makes them, main and local tables, longest-prefix match then metric, gateway check; no policy routing, multipath or route cache'),
    f('network', 'ARP (neighbour table)', 'partial', 'INCOMPLETE/REACHABLE/STALE/DELAY/PROBE/FAILED with Linux\'s timers, queued packets, host unreachable on failure; no gratuitous ARP, proxy ARP or garbage collection'),
    f('network', 'ICMP', 'partial', 'echo replies by the kernel; host/net/port unreachable and TTL exceeded; no rate limiting, redirects or PMTU'),
    f('network', 'UDP, ping and raw ICMP sockets', 'partial', 'bind/connect/sendto/recvfrom, ports per network namespace, ephemeral ports 32768-60999, ECONNREFUSED from port unreachable; ping sockets for groups in net.ipv4.ping_group_range (0 2147483647 on the host as systemd sets it, 1 0 in new namespaces); raw and ping sockets exchange packet objects, and ping sockets get ICMP errors as packets rather than through the error queue'),
    f('network', 'TCP', 'partial', 'handshake with listen backlog, in-order byte stream, cumulative ACKs, retransmission with RFC 6298 RTO and backoff, FIN/RST, TIME_WAIT 60 s; ECONNREFUSED, ETIMEDOUT, ECONNRESET, EPIPE, EHOSTUNREACH; no out-of-order queue, SACK, congestion control, Nagle or delayed ACKs'),
    f('network', 'netfilter NAT and conntrack', 'partial', 'the nat table (PREROUTING, INPUT, OUTPUT, POSTROUTING) with SNAT, DNAT, MASQUERADE, RETURN; connection tracking of ICMP echo, TCP and UDP with Linux\'s timeouts, /proc/net/nf_conntrack; no RELATED ICMP errors, no filter rules'),
    f('network', 'outside network', 'partial', 'eth0 (52:54:00:12:34:56, 192.168.1.10/24) cabled to a router (192.168.1.1) that knows only its own networks, and a remote host (203.0.113.10 and .20, 5 ms away) answering ping, UDP echo (7) and HTTP/1.0 (80)'),
    f('network', 'rtnetlink', 'partial', 'links, addresses, routes, neighbours, namespace ids, bridge fdb and VLANs, as request objects rather than nlmsghdr bytes; CAP_NET_ADMIN over the namespace'),
    f('network', 'IPv6', 'none', 'link-local and ::1 addresses are shown by ip addr; no IPv6 traffic'),
    f('network', 'timing', 'partial', 'every frame is an event: netTx charged to the sender, netRx per delivery, bridgeForward, ipForward, nicLatency and linkKiB from the cost table; softirq work is latency, not CPU time of the receiving CPU'),
  );
  out.push(
    f('runtime', 'config.json validation', 'full', 'the official OCI runtime-spec 1.3.0 JSON schemas (draft-04, Ajv), then the rules runc enforces (duplicate namespaces, absolute cwd and paths, hostname needs a UTS namespace, ID maps with a user namespace, rlimits, hooks); errors name the JSON path and the rule; non-Linux configs are "unsupported"'),
    f('runtime', 'config.json: process', 'partial', 'args (execvp with the container\'s PATH), env, cwd (made if missing), user uid/gid/additionalGids/umask, capabilities (bounding, effective, permitted, inheritable, ambient), rlimits, noNewPrivileges, oomScoreAdj; terminal gives the caller\'s streams (no pty; create with terminal needs --console-socket, which is refused); apparmor, selinux, scheduler, ioPriority and execCPUAffinity are warned about and ignored'),
    f('runtime', 'config.json: root, mounts, hostname', 'partial', 'root.path and readonly; mounts in order (bind/rbind with remount flags, proc, sysfs, tmpfs, devpts, mqueue, cgroup as cgroup2 in a cgroup namespace, propagation options); default devices (bind-mounted from the host\'s /dev) and /dev symlinks; pivot_root(".", "."); hostname, domainname. Simplification: no securejoin of symlinks inside the rootfs'),
    f('runtime', 'config.json: linux', 'partial', 'namespaces (new, or joined by path; a mount namespace is required; time is refused), uidMappings/gidMappings, resources (memory limit/swap/reservation, cpu shares/quota/period, pids limit, unified) mapped to cgroup v2 files as runc does (cpu.weight from shares by runc\'s current log-quadratic formula: 1024 → 100), cgroupsPath, maskedPaths, readonlyPaths, rootfsPropagation; devices, seccomp, sysctl, blockIO, hugepageLimits, rdma, network, intelRdt, personality are warned about and ignored'),
    f('runtime', 'hooks', 'partial', 'prestart, createRuntime, createContainer, startContainer, poststart, poststop as simulated programs with the state JSON on stdin, timeouts; their output goes to runc\'s streams instead of into the error message'),
    f('runtime', 'runc commands', 'partial', 'spec (--rootless), create, start, run (-d, --keep), state, list (-f table|json, -q), ps (-f table|json), exec (-e -u -g --cwd --cap -d -p process.json --ignore-paused), kill (names and numbers, --all), pause/resume (cgroup.freeze), delete (-f), events --stats; runc\'s messages as logrus lines, exit 1 (exec: 255); no update, checkpoint, restore, features or the live events stream'),
    f('runtime', 'persistent host (ctsim oci --root, ctsim run --root, ctsim sh --root)', 'full', 'seed, host shape and an append-only log of commands with their simulated start times, replayed by each invocation; archives as content-addressed blobs; atomic writes (rename), a lock file (stale locks taken over, others waited for up to 30 s), damaged or newer state reported with "ctsim oci reset"; input typed at a terminal (oci run/exec, run -i) is recorded with the simulated time of each chunk and fed again on replay; simulated time passes only while commands run (--after DURATION lets more pass)'),
    f('runtime', 'images and imports', 'partial', 'busybox- and alpine-like images (ctsim\'s programs in Alpine\'s or BusyBox\'s layout), one layer unpacked once per host and shared by every container through overlayfs; bundles and --rootfs directories or tar(.gz) archives are copied in with the simulated tar; real ELF binaries become the ctsim program of the same name, or fail to exec with ENOEXEC'),
    f('runtime', 'ctsim run (docker run)', 'partial', '--name --image --rootfs -m --memory-swap --cpus --cpu-shares --pids-limit --hostname -u -w --network bridge|none|host -p -v -e -i -d --userns; docker\'s default capabilities, mounts, masked and read-only paths; the ctsim0 bridge (172.17.0.1/16, addresses in order, MAC 02:42:ac:11:…, MASQUERADE, DNAT for -p from outside the host) set up by a createRuntime hook and taken down by a poststop hook; OOM kills reported; a stopped container is removed (--rm is accepted: there is no docker ps -a, logs or start); -t gives no pseudo-terminal; volumes are copies (changes do not come back); a command the container cannot find or run ends with runc\'s status 1 and message, where docker reports 127 or 126'),
  );
  out.push(
    f('virtualization', 'guest kernel on a VirtualMachine', 'partial', 'the same kernel code boots on a VirtualMachine; vCPUs run only when given a physical CPU (steal time in the guest\'s /proc/stat, guest time in the host\'s); boot phases firmware → kernel → init charged on vCPU 0 from the profile; the secondary vCPUs start when vCPU 0 has booted; time a VM spends paused is neither steal nor idle'),
    f('virtualization', 'SCSI disks in one file', 'partial', 'each drive is a SCSI disk (/dev/sda, sdb… in the guest, major 8; dmesg as Linux sd prints it) whose READ(10)/WRITE(10)/INQUIRY/READ CAPACITY(10)/SYNCHRONIZE CACHE commands the VMM answers from one file of the host (/var/lib/ctsim/images; raw, or a copy-on-write overlay of a backing file in ctsim\'s qcow2-like format, not qcow2\'s bytes); SG_IO sends raw CDBs; an emulated LSI adapter traps on each register access, virtio-scsi notifies once per request. Simplifications: ctsim vm create makes a missing image (raw, 64 MiB); the guest\'s root file system is not on the disk; no page cache for block devices, no partitions; the VMM\'s image I/O is not issued as its system calls'),
    f('virtualization', 'ctsim vm', 'partial', 'create (Firecracker-like JSON, unknown keys rejected at their path), start, exec (PATH lookup through env, the guest\'s status), console, list, inspect (exits by reason, translation cache, hypercalls, page-walk references, the serial port and disks; --json), pause, resume, stop, delete, save FILE, restore FILE [--name], migrate --to DIR — on the host kept in --root, recorded and replayed like ctsim oci; type 1 profiles are refused on a Linux host'),
    f('virtualization', 'serial console', 'partial', 'each VM with "serial" enabled (the default) has an emulated 16550A UART (COM1, I/O 0x3f8, IRQ 4); the guest\'s ttyS0 and, with console=ttyS0 in boot_args (the default), its kernel messages and /dev/console go through it, and the VMM keeps the last 64 KiB (ctsim vm console --show-log). Each byte sent or received is a trapped port access (an I/O-instruction exit under hw, an I/O callout under bt); input raises IRQ 4 (an external-interrupt exit); a pv guest notifies once per write, as Xen\'s hvc console. ctsim vm console attaches: the tail of the log, then a root shell from agetty --autologin root on ttyS0 (systemd\'s serial-getty@ttyS0, respawned when it exits, 5 starts in 10 s at most); at a terminal keys go raw down the line (the guest echoes) and ^] detaches; from a pipe each line is typed when the guest waits for one; what is typed is recorded with its simulated arrival time and replayed. Simplifications: the getty starts at the first attach, not at boot; no baud rate (a byte takes no time on the line); one trap per byte (no line-status polling or FIFO); a pv guest\'s console is still named ttyS0 (Xen\'s is hvc0); the kept host is locked while a console is attached'),
    f('virtualization', 'VM as one file (save/restore)', 'partial', 'the file holds the configuration and the source host\'s log up to the save with the archives it used: restoring replays that host in a simulation of its own (deterministic replay) to the instant of the save and moves the paused VM onto this host (clocks meet at the later time), where a VMM backs its memory; every guest process continues. Simplification: the guest\'s memory is not stored as bytes, so an image grows with its source host\'s history, and restoring costs as much host CPU as that history did'),
    f('virtualization', 'live migration', 'partial', 'pre-copy (ctsim vm migrate NAME --to DIR between kept hosts, whose copy runs on the source and whose image moves as a restore; migrateVm between two hosts of one simulation): round 0 sends every backed page, later rounds the pages dirtied meanwhile (KVM-style dirty log), until the rest fits the downtime limit (QEMU\'s 300 ms) or the rounds run out; downtime = the last round plus 64 KiB of device state at linkKiB. Simplification: copying costs no host CPU; no post-copy or auto-converge'),
    f('virtualization', 'hardware assist (VT-x/AMD-V)', 'partial', 'VM exits by reason (CR3 write and INVLPG under shadow paging, HLT, MSR write for the TSC-deadline timer and IPIs, EPT violation, #PF exception, external interrupt, interrupt window), each charged vmExit plus the VMM\'s work; I/O-instruction exits for every access to an emulated device\'s registers (the UART\'s per byte, e1000\'s and the LSI adapter\'s)'),
    f('virtualization', 'binary translation', 'partial', 'kernel paths (each system call, the fault handler, the context switch) translated on first execution into an LRU translation cache of btCacheBlocks blocks (one block per btBlockNs of native code); indirect transfers pay btIndirect; sensitive instructions are callouts; syscall/sysret through the VMM (btSyscall). Simplification: what the translator emits is not modelled, only that a block was translated and what that cost; guest user code runs directly'),
    f('virtualization', 'paravirtualization', 'partial', 'Xen-style hypercalls (mmu_update, mmuext_op, set_timer_op, sched_op, event_channel_op); page-table updates and TLB operations queued and sent in batches of up to pvBatchMax (Linux\'s MC_BATCH 32) at the end of a kernel path; fast system calls; guest faults bounced by the hypervisor (faultReflect)'),
    f('virtualization', 'shadow paging', 'partial', 'shadow pages per guest table frame in host memory, walked by the MMU (4 references); guest tables write-protected (each PTE write traps and updates the shadow entry), hidden faults filled by the VMM\'s own walk, dirty bits tracked by mapping read-only until the first write. With cpu-virt pv it is Xen\'s direct paging instead (pinned, validated guest tables). Simplification: no out-of-sync shadow pages, no shadowing of kernel mappings'),
    f('virtualization', 'nested paging (EPT/NPT)', 'partial', 'a real 4-level nested table in host frames; every TLB miss is a 2-D walk counted reference by reference (24 with everything present); EPT violations back guest pages lazily. Simplification: no huge pages in the nested table, no page-walk caches'),
    f('virtualization', 'virtual NICs', 'partial', 'each network-interfaces entry is a NIC in the guest (eth0, eth1…, the configured or vendor-OUI MAC, driver message in dmesg) cabled to a tap device on the host (vnetN or host_dev_name, MAC fe:…), so frames cross both kernels\' stacks; an emulated e1000 traps on 4 register accesses per frame sent and 1 per frame received, virtio-net notifies once per frame sent, and each frame received is an interrupt. Simplifications: no event suppression or interrupt coalescing, no offloads; the tap looks like an Ethernet NIC to ip(8); under a type 1 hypervisor NICs are not connected'),
    f('virtualization', 'virtual switch (VEB) and 802.1Q', 'partial', 'an interface with "switch" joins that host bridge (vlan_filtering) as an access port of its "vlan" (untagged, PVID) or a trunk of its "trunk_vlans" (tagged), with a static forwarding entry for the VM\'s MAC from its configuration (no learning); VMs on different VLANs do not reach each other, and a router on the switch\'s own port (a trunk) joins them. Not yet: 802.3ad link aggregation (NIC teaming) with hash policies and failover, passthrough and SR-IOV virtual functions; a guest\'s own VLAN device on a trunk cannot reach the host\'s VLAN device on the bridge yet (ctsim\'s bridge drops that tagged unicast — with veths too)'),
    f('virtualization', 'type 1 hypervisor', 'partial', 'the VMM owns the physical machine (no host kernel) and round-robins vCPUs on its CPUs in 30 ms slices (Xen\'s credit slice), vmSwitch per switch; guest RAM from the machine\'s frames (library API Type1Hypervisor). Simplification: no credits, weights or caps; no management VM yet (it comes with the devices)'),
    f('virtualization', 'type 2 hypervisor', 'partial', 'the VMM is a host process (qemu-system-x86_64, firecracker, vmware-vmx, VBoxHeadless) on /dev/kvm (KVM_CREATE_VM, KVM_SET_USER_MEMORY_REGION, KVM_CREATE_VCPU, KVM_RUN); each vCPU runs while the host runs its thread, so host load and the VMM\'s cgroup (cpu.max) become guest steal time; guest RAM is the VMM\'s anonymous memory, pinned page by page on first touch (in its RSS and memory cgroup). Simplifications: vCPU threads are processes sharing the VMM\'s memory (no CLONE_THREAD); pinned guest pages are never swapped by the host; a guest has no /dev/kvm (no nested virtualization)'),
  );
  for (const p of defaultPrograms().all()) out.push(f('program', p.paths[0], 'partial', p.summary ?? ''));
  return out;
}
