/**
 * A VM's serial console as its user reaches it (`ctsim vm console`, `virsh console`):
 * the host end of the UART's line, and in the guest a getty on ttyS0 that logs root
 * in — what systemd's serial-getty@ttyS0.service runs on a Debian guest booted with
 * console=ttyS0 (agetty --autologin root, Restart=always).
 *
 *   keys typed ──send──▶ VirtualUart.receive ──IRQ 4──▶ guest ttyS0 ──▶ agetty → -sh
 *   screen ◀──onOutput── VirtualUart.transmit ◀── OUT 0x3f8 ◀── guest ttyS0, printk
 *
 * A session is recorded as the bytes typed, each with the simulated time it arrived,
 * and the time it ended; `replay` feeds them again at the same moments, so that a
 * kept host's log rebuilds the guest as the session left it.
 *
 * Simplifications: the getty is started when a console first attaches rather than at
 * boot, so that a VM nobody logs into runs no login session; systemd's respawn is
 * modelled (at once, given up after 5 starts within 10 s: StartLimitBurst and
 * StartLimitIntervalSec), not the rest of the unit.
 */
import type { Ns } from '../sim/engine.js';
import { NS_PER_SEC } from '../sim/engine.js';
import type { Task } from '../kernel/proc/task.js';
import type { Tty } from '../kernel/tty/tty.js';
import type { Vm } from './vm.js';
import type { VirtualUart } from './devices/serial.js';

/** Bytes typed at the console and the simulated time they reached the UART. */
export interface ConsoleInput {
  atNs: Ns;
  bytes: string;
}

/** What systemd's serial-getty@ttyS0.service runs, with Debian's autologin drop-in. */
export const GETTY_PATH = '/usr/sbin/agetty';
export const GETTY_ARGV = ['/sbin/agetty', '--autologin', 'root', '--noclear', '--keep-baud', 'ttyS0', '115200,57600,38400,9600', 'vt220'];
const GETTY_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8'];

/** systemd's start limit: at most this many starts within the interval. */
const START_LIMIT_BURST = 5;
const START_LIMIT_INTERVAL_NS = 10 * NS_PER_SEC;

export class SerialConsole {
  /** The getty (then the shell it became), while it runs. */
  private getty: Task | null = null;
  /** When the getty was started lately (for the start limit). */
  private starts: Ns[] = [];
  private watching = false;

  constructor(
    private readonly vm: Vm,
    readonly uart: VirtualUart,
  ) {}

  /** The guest's ttyS0. Invariant: the guest's 8250 driver made it at boot (the VM has this UART). */
  private get tty(): Tty {
    return this.vm.kernel.serialTtys[0];
  }

  /** Starts the getty on ttyS0 unless it runs (an attach finds a logged-in shell, as on a booted guest). */
  ensureGetty(): void {
    if (this.getty) return;
    this.starts = [];
    this.startGetty();
  }

  private startGetty(): void {
    const k = this.vm.kernel;
    if (!this.watching) {
      // Restart=always: when the session ends, a new getty logs root in again.
      k.exitHooks.add((t) => {
        if (t !== this.getty) return;
        this.getty = null;
        const now = k.now;
        this.starts = this.starts.filter((s) => now - s < START_LIMIT_INTERVAL_NS);
        if (this.starts.length >= START_LIMIT_BURST || this.vm.machine.state === 'stopped') return;
        this.vm.engine.at(now, () => {
          if (!this.getty && this.vm.machine.state !== 'stopped') this.startGetty();
        });
      });
      this.watching = true;
    }
    const discard = (): void => undefined;
    this.getty = this.vm.spawn(GETTY_ARGV, { path: GETTY_PATH, env: GETTY_ENV, cwd: '/', stdout: discard, stderr: discard }).task;
    this.starts.push(k.now);
  }

  /** True once the VM is powered off (its console has no other end any more). */
  get vmStopped(): boolean {
    return this.vm.machine.state === 'stopped';
  }

  /** True when a program in the guest is blocked reading ttyS0 and nothing typed is waiting for it. */
  get guestWaiting(): boolean {
    return this.tty.hasWaitingReader;
  }

  /** Bytes typed at the console: they arrive on the UART's line now. */
  send(bytes: string): void {
    this.uart.receive(bytes);
  }

  /** Replays a recorded session: each chunk of input at its time, then the simulation runs until `endNs`. */
  replay(input: readonly ConsoleInput[], endNs: Ns): void {
    const engine = this.vm.engine;
    for (const c of input) engine.at(c.atNs, () => this.send(c.bytes));
    if (engine.now < endNs) engine.run({ until: endNs });
    engine.advanceTo(endNs);
  }
}
