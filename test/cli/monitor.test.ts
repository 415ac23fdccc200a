/**
 * ctsim's own words at an interactive shell's prompt (src/cli/monitor.ts), driven
 * through the real session (runOnTerminal: readline over in-memory streams) against a
 * simulated host: lines are typed and the test waits for the next prompt.
 */
import { stripVTControlCharacters } from 'node:util';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';
import { runOnTerminal } from '../../src/cli/live-session.js';
import { Monitor } from '../../src/cli/monitor.js';

/** Readline's redraw of a prompt. */
const REDRAW = '\x1b[1G\x1b[0J';

interface Session {
  /** Types `line` and returns what the terminal showed until the next prompt (`prompt`, by default the shell's "# "), without the echo. */
  type(line: string, prompt?: string): Promise<string>;
  /** Types keys now, without waiting (^C while a :step runs). */
  keys(bytes: string): void;
  /** The prompt readline shows now (what follows its last redraw). */
  prompt(): string;
  end(): Promise<number>;
}

let open: Session | null = null;

afterEach(async () => {
  await open?.end();
  open = null;
});

async function session(ringSize?: number): Promise<Session> {
  const input = new PassThrough() as PassThrough & { isTTY?: boolean };
  const output = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number; rows?: number };
  output.isTTY = true;
  output.columns = 200;
  output.rows = 50;
  let text = '';
  output.on('data', (d: Buffer) => void (text += d.toString('utf8')));
  const monitor = new Monitor({
    ringSize,
    boot: () => {
      const host = createHost({ seed: 1 });
      const tty = host.openTerminal(() => undefined, { rows: 50, cols: 200 });
      const task = host.spawnOnTerminal(['-sh'], tty, { path: '/bin/sh' });
      return { host, task, tty };
    },
  });
  const a = monitor.start();
  const done = runOnTerminal(a.host, a.task, a.tty, output as unknown as NodeJS.WriteStream, input as unknown as NodeJS.ReadStream, monitor);
  const untilPrompt = async (from: number, prompt = '# '): Promise<string> => {
    for (let i = 0; i < 2000; i++) {
      const at = text.indexOf(REDRAW + prompt, from);
      if (at >= 0) return text.slice(from, at);
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`no prompt after: ${JSON.stringify(text.slice(from))}`);
  };
  await untilPrompt(0);
  let mark = text.lastIndexOf(REDRAW) + REDRAW.length;
  let ended = false;
  const s: Session = {
    async type(line, prompt) {
      input.write(line + '\r');
      const shown = await untilPrompt(mark, prompt);
      mark = text.lastIndexOf(REDRAW) + REDRAW.length;
      // Drop the echo of the line (readline's cursor move, the line, CRLF).
      const echoed = shown.indexOf(line + '\r\n');
      return shown.slice(echoed + line.length + 2).replace(/\r\n/g, '\n');
    },
    prompt() {
      return text.slice(text.lastIndexOf(REDRAW) + REDRAW.length);
    },
    keys(bytes) {
      input.write(bytes);
    },
    async end() {
      if (ended) return 0;
      ended = true;
      // ^C first: a test that failed half-way through a command leaves the shell at PS2.
      input.write('\x03');
      input.write('exit\r');
      return done;
    },
  };
  open = s;
  return s;
}

describe('explain', () => {
  it("says why the last command's system calls failed, and sums up a shell's PATH search as routine", async () => {
    const s = await session();
    expect(await s.type('ls /nonexistent')).toContain("cannot access '/nonexistent'");
    const out = await s.type('explain');
    expect(out).toContain('ls[6] stat failed with ENOENT: nonexistent does not exist in / (ext4 /dev/sda1)\n');
    // Two identical lstat failures make one line.
    expect(out).toContain('ls[6] lstat failed with ENOENT: nonexistent does not exist in / (ext4 /dev/sda1) (×2)\n');
    expect(out).toMatch(/routine failures, hidden[^\n]*\n {2}sh\[2\] searched \$PATH for ls: stat ENOENT in 3 directories before one had it/);
    // -v shows the routine ones on their own lines.
    const verbose = await s.type('explain -v');
    expect(verbose).toContain('sh[2] looked for ls along $PATH: stat failed with ENOENT in /usr/local/sbin, /usr/local/bin, /usr/sbin before the next directory had it  [routine]');
    expect(verbose).not.toContain('routine failures, hidden');
  });

  it('tells a command that is not found, covers one command by default and more on request', async () => {
    const s = await session();
    // Paced to the wall clock: 20 ms pass on the machine's clock while nobody types.
    await new Promise((r) => setTimeout(r, 20));
    await s.type('nosuch');
    expect(await s.type('explain')).toContain('sh[2] did not find nosuch in any directory of $PATH (stat failed with ENOENT in /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin), so the shell says "not found"');
    await s.type('echo fine');
    expect(await s.type('explain')).toMatch(/^explain: nothing failed during the last command \(echo fine\) but routine calls \("explain -v" lists them\):\n {2}sh\[2\] wait4 ECHILD/);
    const two = await s.type('explain 2');
    // The command's time is the machine's when the shell got it, not before the session's clock caught up.
    const at = /── 1: nosuch \(at (\d+)\.(\d{9}) s\) ──/.exec(two);
    expect(at).not.toBeNull();
    expect(Number(at![1]) * 1e9 + Number(at![2])).toBeGreaterThan(20_000_000);
    expect(two).not.toContain('echo fine');
    expect(await s.type('explain all')).toContain('── 1: nosuch');
    expect(await s.type('explain sideways')).toContain('explain: expected "explain", "explain all" or "explain N"');
  });

  it('keeps a bounded ring and says when older records were dropped', async () => {
    const s = await session(4);
    for (let i = 0; i < 3; i++) await s.type('ls /nonexistent');
    const all = await s.type('explain all');
    expect(all).toMatch(/\(\d+ older records were dropped: explain keeps the last 4\)/);
  });

  it('leaves a line that continues a command (PS2) to the shell', async () => {
    const s = await session();
    await s.type('if false; then', '> ');
    expect(await s.type('explain', '> ')).toBe('');
    expect(await s.type('fi')).toBe('');
  });
});

/** Simulated ns of a `:time` answer. */
function timeOf(out: string): number {
  const m = /^(\d+)\.(\d{9}) s of simulated time since boot/.exec(out);
  if (!m) throw new Error(`not a :time answer: ${out}`);
  return Number(m[1]) * 1e9 + Number(m[2]);
}

describe('pause, step, time', () => {
  it('stands time still, steps it by hand, and runs a typed command meanwhile without letting background jobs run on', async () => {
    const s = await session();
    await s.type('sleep 10 &');
    expect(await s.type(':pause')).toMatch(/^paused at \d+\.\d{9} s: simulated time stands still/);
    const t0 = timeOf(await s.type(':time'));
    expect(await s.type(':time')).toContain('(paused)');
    await new Promise((r) => setTimeout(r, 50));
    expect(timeOf(await s.type(':time'))).toBe(t0);
    expect(await s.type(':step 1ms')).toMatch(/^stepped 1 ms to \d+\.\d{9} s \(paused\)\n$/);
    expect(timeOf(await s.type(':time'))).toBe(t0 + 1_000_000);
    expect(await s.type(':step 100us')).toContain('stepped 100 µs');
    // A command typed while paused runs to its end; the sleep in the background is still there.
    expect(await s.type('jobs')).toContain('Running');
    const t1 = timeOf(await s.type(':time'));
    expect(t1).toBeGreaterThan(t0 + 1_100_000);
    expect(t1).toBeLessThan(t0 + 50_000_000);
    expect(await s.type(':step sideways')).toContain(':step takes a duration');
    // The next proc event is the sleep's exit, 10 s after it started.
    const to = await s.type(':step --to proc');
    expect(to).toMatch(/^\[ +\d+\.\d{9}\] proc exit pid=6 comm=sleep code=0\n\(stopped after 9\.\d+ s, at \d+\.\d{9} s; paused\)\n$/);
    expect(await s.type(':step --to nothing')).toContain(':step --to takes one category among sched, syscall');
    expect(await s.type(':continue')).toContain('paced to the wall clock');
    expect(await s.type(':time')).toContain('(paced to the wall clock)');
  });

  it('stops a step at ^C, which does not reach the shell', async () => {
    const s = await session();
    await s.type('yes > /dev/null &');
    await s.type(':pause');
    setTimeout(() => s.keys('\x03'), 300);
    expect(await s.type(':step --to sched 1000s')).toMatch(/^\^C\ninterrupted after [\d.]+ m?s, at \d+\.\d{9} s, before any sched event \(paused\)\n$/);
    // The terminal got no ^C: the only input it had is the first line.
    expect(await s.type(':snapshot x')).toContain('seed 1 and 1 input typed');
    expect(await s.type('jobs')).toMatch(/^\[1\] \+ Running/);
    await s.type('kill %1');
  });

  it('says when no event of the category came', async () => {
    const s = await session();
    await s.type(':pause');
    // Kernel timers keep time going, so the search ends at its limit.
    expect(await s.type(':step --to signal 2s')).toMatch(/^no signal event within 2 s \(at \d+\.\d{9} s; paused; a longer limit: :step --to signal 60s\)\n$/);
    expect(await s.type(':step --to signal soon')).toBe(':step --to signal takes a limit like 10s or 500ms; got "soon"\n');
  });
});

describe('inspect', () => {
  it('shows a sleeping process: ids, cmdline, the call it sleeps in, namespaces, cgroup and limits, fds, maps', async () => {
    const s = await session();
    await s.type('mkdir /sys/fs/cgroup/g; echo +pids +memory > /sys/fs/cgroup/cgroup.subtree_control; echo 7 > /sys/fs/cgroup/g/pids.max');
    await s.type("unshare --uts --fork sh -c 'echo $$ > /sys/fs/cgroup/g/cgroup.procs; exec sleep 10' < /dev/null > /dev/null &");
    await s.type(':pause');
    await s.type(':step 10ms');
    const ps = await s.type('ps -o pid=,comm=');
    const pid = /(\d+) sleep/.exec(ps)![1];
    const out = await s.type(`:inspect ${pid}`);
    expect(out).toMatch(new RegExp(`^PID ${pid}  sleep  state S \\(sleeping\\)\\n`));
    expect(out).toContain('  cmdline  sleep 10\n');
    expect(out).toContain('  exe      /usr/bin/sleep\n');
    expect(out).toContain('  blocked  in nanosleep()\n');
    expect(out).toMatch(/uts:\[\d+\]\*/);
    expect(out).toContain('mnt:[4026531832] ');
    expect(out).toMatch(/cgroup \/g\n {2}memory\.max=max {2}memory\.current=\d+ {2}pids\.max=7 {2}pids\.current=1\n/);
    expect(out).toMatch(/ {4}0 r[w-] -> \/dev\/null\n/);
    expect(out).toMatch(/ {4}2 rw -> \/dev\/pts\/0\n/);
    expect(out).toMatch(/\/usr\/bin\/sleep\n[\s\S]*\[stack\]/);
    expect(await s.type(':inspect 2')).toMatch(/ {2}blocked {2}in read\(fd 0\)\n/);
    expect(await s.type(':inspect 999')).toBe(':inspect: no process 999 in the PID namespace of sh[2]\n');
    expect(await s.type(':inspect')).toContain(':inspect takes one PID');
    // In a shell with its own PID namespace, PIDs are that namespace's.
    await s.type('unshare --pid --fork --mount-proc sh');
    const inner = await s.type(':inspect 1');
    expect(inner).toMatch(/^PID \d+ \(NSpid \d+ 1: 1 in its own PID namespace, \d+ on the host\) {2}sh {2}state S/);
    expect(inner).toMatch(/pid:\[\d+\]\*/);
    await s.type('exit');
  });
});

describe('snapshot and restore', () => {
  it('goes back to a snapshot: what was done after it is undone, and the machine replays to the same state', async () => {
    const s = await session();
    await s.type('echo one > /tmp/before');
    await s.type(':pause');
    expect(await s.type(':snapshot a')).toMatch(/^snapshot a at \d+\.\d{9} s: seed 1 and 1 input typed/);
    const t0 = timeOf(await s.type(':time'));
    await s.type('touch /tmp/x');
    expect(await s.type('ls /tmp/x')).toBe('/tmp/x\n');
    const after = await s.type("cat /proc/uptime; sh -c 'echo $$'");
    expect(await s.type(':restore a')).toMatch(/^restored a: a new machine booted from seed 1 replayed 1 input up to \d+\.\d{9} s\n$/);
    // One prompt: the replayed line's echo (the real terminal's) ends the line the shell's earlier prompt was on.
    expect(stripVTControlCharacters(s.prompt())).toBe('# ');
    expect(timeOf(await s.type(':time'))).toBe(t0);
    expect(await s.type('ls /tmp/x')).toBe("ls: cannot access '/tmp/x': No such file or directory\n");
    expect(await s.type('cat /tmp/before')).toBe('one\n');
    // Paused, the same commands from the same state at the same time print the same.
    await s.type(':restore a');
    await s.type('touch /tmp/x');
    await s.type('ls /tmp/x');
    expect(await s.type("cat /proc/uptime; sh -c 'echo $$'")).toBe(after);
    expect(await s.type(':snapshots')).toMatch(/^a {12}\d+\.\d{9} s {2}1 input, 1 command \(last: echo one > \/tmp\/before\)\n$/);
    expect(await s.type(':restore b')).toBe(':restore takes a snapshot\'s name (a)\n');
    // The explain ring goes back too.
    await s.type('ls /nonexistent');
    await s.type(':restore a');
    expect(await s.type('explain all')).not.toContain('nonexistent');
  });
});

describe('words', () => {
  it('has help, refuses unknown colon words, and leaves the shell its own words', async () => {
    const s = await session();
    const help = await s.type(':help');
    expect(help).toContain(':step DURATION');
    expect(help).toContain('The colon keeps these words apart');
    expect(await s.type(':frobnicate')).toBe("ctsim: :frobnicate is not one of ctsim's words (:help lists them)\n");
    // time and continue are the shell's: time is not a dash builtin (/usr/bin/time may or may not exist), continue is.
    expect(await s.type('for i in 1 2; do continue; echo no; done; echo loop done')).toBe('loop done\n');
  });
});
