/**
 * A VM's serial port: an emulated 16550A (COM1) whose every byte is a trapped port
 * access, the guest's /dev/ttyS0 (4:64) on it, and the serial console (console=ttyS0)
 * that carries the kernel's messages from the first one. Sources: Linux's
 * Documentation/admin-guide/serial-console.rst and devices.txt (ttyS0 is 4:64),
 * the 8250 driver's boot lines, n_tty's canonical input (ICRNL, ECHO, ECHOE, ECHOCTL).
 */
import { describe, expect, it } from 'vitest';
import { Engine, NS_PER_MS, NS_PER_SEC } from '../../../src/sim/engine.js';
import { PhysicalMemory } from '../../../src/hw/physical-memory.js';
import { DirectBacking } from '../../../src/hypervisor/backing.js';
import { DedicatedCpus } from '../../../src/hypervisor/virtual-machine.js';
import { bootVm, type Vm } from '../../../src/hypervisor/vm.js';
import { parseVmConfig } from '../../../src/hypervisor/vm-config.js';
import { VirtualUart } from '../../../src/hypervisor/devices/serial.js';
import { defaultPrograms } from '../../../src/userland/index.js';
import { createHost, DEFAULT_BOOT_EPOCH_NS } from '../../../src/host.js';
import { typeLines } from '../../../src/cli/vm-session.js';

function vm(cpuVirt = 'hw', extra: Record<string, unknown> = {}): Vm {
  const engine = new Engine(1);
  const doc = { 'machine-config': { vcpu_count: 1, mem_size_mib: 64 }, 'boot-source': { kernel_image_path: 'vmlinux' }, 'cpu-virt': cpuVirt, 'mem-virt': 'shadow', ...extra };
  const v = bootVm(engine, parseVmConfig(doc, 't.json', { name: 'web' }), new DirectBacking(new PhysicalMemory(1024 ** 3), 7), {
    programs: defaultPrograms(),
    bootEpochNs: DEFAULT_BOOT_EPOCH_NS,
    boot: { firmwareNs: 0, kernelNs: 0, initNs: 0 },
  });
  v.machine.start(new DedicatedCpus());
  return v;
}

const uartOf = (v: Vm): VirtualUart => v.machine.serial as VirtualUart;

/** Types `bytes` into the console and lets the guest run for `ms`; returns what the console printed meanwhile. */
function type(v: Vm, bytes: string, ms = 50): string {
  const uart = uartOf(v);
  const before = uart.bytesOut;
  if (bytes) v.serialConsole!.send(bytes);
  v.engine.runUntil(v.engine.now + ms * NS_PER_MS);
  return uart.log.slice(uart.log.length - (uart.bytesOut - before));
}

describe('the 16550A UART and the serial console', () => {
  it("carries every kernel message from the first (the log is replayed when the console registers), each byte an I/O exit", () => {
    const v = vm();
    const uart = uartOf(v);
    const log = uart.log;
    expect(log.startsWith('[    0.000000] Linux version 6.1.0-ctsim (ctsim) #1 SMP PREEMPT_DYNAMIC ctsim\r\n')).toBe(true);
    for (const line of [
      'Kernel command line: console=ttyS0 reboot=k panic=1',
      'printk: console [ttyS0] enabled',
      'Serial: 8250/16550 driver, 4 ports, IRQ sharing enabled',
      'serial8250: ttyS0 at I/O 0x3f8 (irq = 4, base_baud = 115200) is a 16550A',
      'Run /sbin/init as init process',
    ]) {
      expect(log).toContain(`] ${line}\r\n`);
    }
    // The console printed exactly the kernel log, with ONLCR's CR before each LF.
    expect(v.sh('dmesg').stdout.replace(/\n/g, '\r\n')).toBe(log);
    // Each byte was one write to the transmit register: one I/O exit (no other device here does I/O).
    expect(uart.bytesOut).toBe(log.length);
    expect(uart.traps).toBe(uart.bytesOut);
    expect(v.machine.cpuVirt.counters.exits['I/O instruction']).toBe(uart.traps);
  });

  it('/dev/ttyS0 is crw-rw---- root dialout 4, 64; /proc/cmdline is boot_args; /dev/console goes to the serial console', () => {
    const v = vm();
    const r = v.sh('ls -l /dev/ttyS0; cat /proc/cmdline; echo to-the-console > /dev/console');
    expect(r.stdout).toMatch(/^crw-rw---- 1 root dialout 4, 64 .* \/dev\/ttyS0\nconsole=ttyS0 reboot=k panic=1\n$/);
    expect(uartOf(v).log.endsWith('to-the-console\r\n')).toBe(true);
  });

  it('prices a byte as the CPU technique does: an I/O exit (hw), an I/O callout (bt); a paravirtual guest notifies once per write', () => {
    const sent = (mode: string): { traps: number; exits: number; exitNs: number; callouts: number; hypercalls: number; vmExitUser: number } => {
      const v = vm(mode);
      const cv = v.machine.cpuVirt.counters;
      const uart = uartOf(v);
      const before = { traps: uart.traps, exits: cv.exits['I/O instruction'], exitNs: cv.exitNs['I/O instruction'], callouts: cv.callouts['I/O'], hypercalls: cv.hypercalls.event_channel_op };
      v.sh('printf abc > /dev/ttyS0');
      expect(uart.log.endsWith('abc')).toBe(true);
      return {
        traps: uart.traps - before.traps,
        exits: cv.exits['I/O instruction'] - before.exits,
        exitNs: cv.exitNs['I/O instruction'] - before.exitNs,
        callouts: cv.callouts['I/O'] - before.callouts,
        hypercalls: cv.hypercalls.event_channel_op - before.hypercalls,
        vmExitUser: v.machine.costs.vmExitUser,
      };
    };
    const hw = sent('hw');
    expect([hw.traps, hw.exits, hw.callouts]).toEqual([3, 3, 0]);
    // Each exit goes out to the user-space VMM that emulates the UART.
    expect(hw.exitNs).toBe(3 * hw.vmExitUser);
    const bt = sent('bt');
    expect([bt.traps, bt.exits, bt.callouts]).toEqual([3, 0, 3]);
    const pv = sent('pv');
    expect([pv.traps, pv.exits, pv.callouts]).toEqual([1, 0, 0]);
    expect(pv.hypercalls).toBeGreaterThanOrEqual(1);
  });

  it('is quiet at boot without console=ttyS0 (ttyS0 still works); a VM without a serial port has no ttyS0', () => {
    const quiet = vm('hw', { 'boot-source': { kernel_image_path: 'vmlinux', boot_args: 'console=tty0 quiet' } });
    expect(uartOf(quiet).log).toBe('');
    expect(quiet.sh('echo x > /dev/console; echo y > /dev/ttyS0; dmesg | grep -c serial8250').stdout).toBe('1\n');
    expect(uartOf(quiet).log).toBe('y\r\n');
    const none = vm('hw', { serial: { enabled: false } });
    expect(none.machine.serial).toBeNull();
    expect(none.serialConsole).toBeNull();
    const r = none.sh('ls /dev/ttyS0; dmesg | grep -c 8250');
    expect(r.stderr).toBe("ls: cannot access '/dev/ttyS0': No such file or directory\n");
    expect(r.stdout).toBe('0\n');
  });

  it('a getty logs root in on ttyS0; the line discipline echoes, edits (^? ^U ^W), maps CR to NL and signals (^C); each byte in is an exit, each chunk an interrupt', () => {
    const v = vm();
    const c = v.serialConsole!;
    c.ensureGetty();
    const banner = type(v, '');
    expect(banner).toBe(
      '\r\nDebian GNU/Linux 12 web ttyS0\r\n\r\nweb login: root (automatic login)\r\n\r\nLinux web 6.1.0-ctsim #1 SMP PREEMPT_DYNAMIC ctsim x86_64\r\n' +
        '\r\nThis is a simulated Linux host inside ctsim: every process, file and packet\r\nhere lives in a deterministic simulation. Nothing you do reaches the real\r\nmachine.\r\n# ',
    );
    expect(c.guestWaiting).toBe(true);
    const uart = uartOf(v);
    const cv = v.machine.cpuVirt.counters;
    const before = { exits: cv.exits['I/O instruction'], irqs: uart.interrupts, inB: uart.bytesIn, outB: uart.bytesOut };
    expect(type(v, 'echo ab\x7fc\r')).toBe('echo ab\b \bc\r\nac\r\n# ');
    expect(uart.interrupts - before.irqs).toBe(1);
    expect(uart.bytesIn - before.inB).toBe(10);
    expect(cv.exits['I/O instruction'] - before.exits).toBe(10 + (uart.bytesOut - before.outB));
    expect(type(v, 'echo junk\x15tty\r')).toBe('echo junk\b \b\b \b\b \b\b \b\b \b\b \b\b \b\b \b\b \btty\r\n/dev/ttyS0\r\n# ');
    // ^W takes back the last word and the blanks after it; ^H is no erase character (it is echoed as ^H and kept).
    expect(type(v, 'echo one two \x17\b|sed -n l\r')).toBe(`echo one two ${'\b \b'.repeat(4)}^H|sed -n l\r\none \\b$\r\n# `);
    // ^C interrupts the foreground job at once (sleep would take 100 s).
    type(v, 'sleep 100\r');
    const t0 = v.engine.now;
    expect(type(v, '\x03')).toMatch(/^\^C\r\n# $/);
    expect(v.engine.now - t0).toBeLessThan(NS_PER_SEC);
    expect(v.sh('ps -t ttyS0 -o comm=').stdout).toBe('sh\n');
  });

  it('respawns the getty when the shell exits (^D), and gives up after 5 starts in 10 s', () => {
    const v = vm();
    const c = v.serialConsole!;
    c.ensureGetty();
    type(v, '');
    expect(type(v, '\x04')).toContain('web login: root (automatic login)');
    expect(c.guestWaiting).toBe(true);
    // Without agetty every start fails at once: systemd's start limit stops the loop.
    expect(v.sh('rm /usr/sbin/agetty').status).toBe(0);
    const forks = v.kernel.forks;
    type(v, 'exit\r', 20_000);
    // Two starts so far; three more fail, and the fifth within 10 s is the last.
    expect(v.kernel.forks - forks).toBe(3);
    expect(c.guestWaiting).toBe(false);
    expect(v.sh('ps -e -o comm=').stdout).toBe('init\nsh\nps\n');
  });

  it('agetty refuses a line it cannot open and runs only with --autologin', () => {
    const v = vm();
    const r = v.sh('agetty --autologin root ttyS9; echo "status $?"; agetty ttyS0; echo "status $?"');
    expect(r.stderr).toBe("agetty: /dev/ttyS9: cannot open as standard input: No such file or directory\nagetty: ctsim's agetty needs --autologin USER (there is no login(1) to ask for a name and password)\n");
    expect(r.stdout).toBe('status 1\nstatus 1\n');
  });
});

describe('a console session recorded and replayed', () => {
  const cfg = { 'machine-config': { vcpu_count: 1, mem_size_mib: 64 }, 'boot-source': { kernel_image_path: 'vmlinux' } };

  it('typed lines with their times rebuild the same guest and the same console output on a fresh host', () => {
    const a = createHost({ seed: 3 });
    a.vms.create('web', cfg);
    a.vms.start('web');
    const c = a.vms.console('web');
    const chunks: { atNs: number; bytes: string }[] = [];
    const send = (bytes: string): void => {
      chunks.push({ atNs: a.now, bytes });
      c.send(bytes);
    };
    const lines = ['echo made-on-console > /root/f\n', 'sleep 0.25; cat /root/f\n'];
    expect(typeLines({ host: a, console: c, send }, lines, 60 * NS_PER_SEC)).toBe('done');
    const endNs = a.now;
    expect(chunks.map((x) => x.bytes)).toEqual(lines);
    expect(c.uart.log).toContain('# echo made-on-console > /root/f\r\n# sleep 0.25; cat /root/f\r\nmade-on-console\r\n# ');

    const b = createHost({ seed: 3 });
    b.vms.create('web', cfg);
    b.vms.start('web');
    const io = { stdout: () => undefined, stderr: () => undefined };
    expect(b.vms.apply({ op: 'console', name: 'web' }, io, undefined, { chunks, endNs })).toBe(0);
    expect(b.now).toBe(endNs);
    expect(b.vms.console('web').uart.log).toBe(c.uart.log);
    expect(b.vms.exec('web', ['cat', '/root/f'], {}).stdout).toBe('made-on-console\n');
  });
});
