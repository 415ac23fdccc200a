/** `ctsim vm console NAME`: attach to a running VM's serial console (ttyS0), as virsh console does. */
import { readStdinBytes } from '../input-files.js';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { attachVmConsole, typeLines, withVms, type ConsoleSession } from '../../cli/vm-session.js';
import { runRawConsole } from '../../cli/live-session.js';
import { vmNameArg, vmOpFlags } from './common.js';
import { guardLimitsFrom } from '../../cli/guard-limits.js';
import { VmOpError } from '../../hypervisor/vm-manager.js';
import { UsageError } from '../../sim/input-error.js';
import { parseDurationNs } from '../../sim/units.js';

/** How much of the console's past output an interactive attach shows first (the tail, from a line start). */
const ATTACH_TAIL_BYTES = 8 * 1024;
/** How long a script may keep the console (simulated time) when --time-limit is not given: an hour, as vm exec. */
const DEFAULT_LIMIT = '1h';

const write = (bytes: string): void => void process.stdout.write(Buffer.from(bytes, 'latin1'));

/** The last `max` bytes of `log`, starting at a line. */
function tail(log: string, max: number): string {
  if (log.length <= max) return log;
  const t = log.slice(log.length - max);
  const nl = t.indexOf('\n');
  return nl >= 0 ? t.slice(nl + 1) : t;
}

/** A script's lines, each with its newline (the last one may have none). */
function scriptLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export default class VmConsole extends BaseCommand {
  static override summary = "Attach to a running VM's serial console (ttyS0): its boot messages and a root shell on the serial line; ^] detaches.";
  static override description = `The VMM keeps what the guest writes to its 16550A UART (COM1): the kernel's messages (console=ttyS0 on its command line) and everything a program writes to /dev/ttyS0 or /dev/console. Attaching starts a getty on ttyS0 in the guest if none runs (agetty --autologin root, as systemd's serial-getty@ttyS0 does), so you get a root shell; the shell stays when you detach, and a later attach finds it.

At a terminal the session is interactive: the tail of the console's output first, then every key you type goes down the serial line as it is typed (the guest echoes and edits the line, as on a real serial console); Ctrl-] detaches. With standard input from a file or pipe, each line is typed when the guest waits for one, and the command ends when the input is used up and the guest waits again. --show-log prints what the console has output so far and exits without attaching (as lxc console --show-log does).

What is typed is kept in the host's log with the simulated time each key arrived, so later ctsim commands on the same --root see what the session did.`;

  static override examples = [
    '<%= config.bin %> vm console web                       # interactive at a terminal; Ctrl-] detaches',
    '<%= config.bin %> vm console web < commands.txt        # each line typed when the guest waits for one',
    '<%= config.bin %> vm console web --show-log            # the boot messages and everything since',
  ];

  static override args = vmNameArg;
  static override flags = {
    ...vmOpFlags,
    'show-log': Flags.boolean({ description: 'Print what the console has output so far (the VMM keeps the last 64 KiB) and exit, without attaching.' }),
    'time-limit': Flags.string({ description: `When standard input is not a terminal: give up after this much simulated time (e.g. 30s; default ${DEFAULT_LIMIT}); the exit status is then 124.`, helpGroup: 'LIMIT' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(VmConsole);
    const limitNs = parseDurationNs(flags['time-limit'] ?? DEFAULT_LIMIT);
    if (limitNs === null || limitNs <= 0) throw new UsageError({ source: '--time-limit', expected: 'a duration like 30s or 500ms', found: flags['time-limit'] });
    const limits = guardLimitsFrom(flags);
    try {
      if (flags['show-log']) {
        write(withVms(flags.root, this.config.version, (s) => s.host.vms.consoleLog(args.name)));
        return;
      }
      if (process.stdin.isTTY === true) {
        process.exitCode = await attachVmConsole(flags.root, args.name, this.config.version, (s) => this.interactive(s, args.name), { limits, interactive: true });
        return;
      }
      const script = readStdinBytes("input for the guest's console").toString('latin1');
      process.exitCode = await attachVmConsole(flags.root, args.name, this.config.version, async (s) => this.scripted(s, scriptLines(script), limitNs), { limits });
    } catch (e) {
      if (!(e instanceof VmOpError)) throw e;
      this.err(`ctsim vm console: ${e.message}\n`);
      process.exitCode = 1;
    }
  }

  /** At a terminal: the tail of the log, then the line raw until ^]. */
  private async interactive(s: ConsoleSession, name: string): Promise<number> {
    this.out(`Connected to domain '${name}'\nEscape character is ^] (Ctrl + ])\n`);
    write(tail(s.console.uart.log, ATTACH_TAIL_BYTES));
    s.console.uart.onOutput = write;
    let why: 'detached' | 'ended';
    try {
      why = await runRawConsole(s.host, { send: s.send, ended: () => s.console.vmStopped }, process.stdin);
    } finally {
      s.console.uart.onOutput = null;
    }
    this.out('\n');
    if (why === 'ended') {
      this.err(`ctsim vm console: VM "${name}" stopped\n`);
      return 1;
    }
    return 0;
  }

  /** From a file or pipe: the lines typed one by one, the console's output as it comes. */
  private scripted(s: ConsoleSession, lines: string[], limitNs: number): number {
    s.console.uart.onOutput = write;
    let r: ReturnType<typeof typeLines>;
    try {
      r = typeLines(s, lines, limitNs);
    } finally {
      s.console.uart.onOutput = null;
    }
    if (r === 'stopped') {
      this.err('\nctsim vm console: the VM stopped\n');
      return 1;
    }
    if (r === 'time-limit') {
      this.err('\nctsim vm console: detached after the time limit; what runs in the guest goes on\n');
      return 124;
    }
    return 0;
  }
}
