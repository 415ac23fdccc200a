/**
 * ps(1) from procps-ng 4.0.2: a snapshot of the processes in /proc, in the three
 * option syntaxes procps accepts — Unix (`-ef`, `-o pid,comm`), BSD (`aux`) and
 * GNU long options (`--forest`, `--sort`).
 *
 *   argv ──ps-options──▶ PsRequest ──ps-columns──▶ PsPlan (columns, sort keys)
 *   /proc ──proc-table──▶ ProcInfo[] ──ps-select──▶ rows ──ps-layout──▶ stdout
 *
 * The screen width is the terminal's (80 without TIOCGWINSZ), unlimited for pipes
 * and files; COLUMNS and --cols override it, `w` makes it at least 132 and `ww`
 * unlimited. The exit status is 1 when no process was listed.
 *
 * Simplification: the thread listings (-L, -T, -m, m), the s/v/X formats, -O/O,
 * security labels, --help and --info are refused as unsupported options; BSD e
 * adds no environment (ps does not read /proc/PID/environ) and H changes nothing
 * (every ctsim process has one thread).
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { TIOCGWINSZ } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { getenv } from '../../lib/exec.js';
import { UserDb } from '../../lib/passwd.js';
import { isatty, lastComponent, type Gen } from './gnu-style.js';
import { parseStat, readProcTable, type ProcInfo } from './proc-table.js';
import { planOutput, type PsPlan } from './ps-columns.js';
import { layoutLine, type LineStyle } from './ps-layout.js';
import { PsFatalError, PsUsageError, readCommandLine } from './ps-options.js';
import { orderRows, selectionPredicate } from './ps-select.js';
import { HERTZ, type PsContext } from './ps-values.js';

/** User CPU to set up (parse options, load the user database) — a design choice, ~0.6M cycles. */
const PS_SETUP_NS = 200_000;
/** User CPU per process read, selected and formatted — a design choice, ~30k cycles. */
const PS_PER_PROCESS_NS = 10_000;
/** The widest line ps builds (2 × 64 KiB): the "unlimited" screen width. */
const MAX_LINE = 2 * 64 * 1024;
/** Width `w` guarantees, and the terminal width when TIOCGWINSZ says nothing. */
const WIDE_COLS = 132;
const DEFAULT_TTY_COLS = 80;

/** The hint procps prints after "error: …". */
function usageText(prog: string): string {
  return (
    `\nUsage:\n ${prog} [options]\n\n` +
    ` Try '${prog} --help <simple|list|output|threads|misc|all>'\n` +
    `  or '${prog} --help <s|l|o|t|m|a>'\n` +
    ' for additional help text.\n\n' +
    `For more details see ps(1).\n`
  );
}

/** Digits of /proc/sys/kernel/pid_max: the width of PID-like columns. */
function* pidColumnWidth(): Gen<number> {
  const text = yield* readFile('/proc/sys/kernel/pid_max');
  return text instanceof SysError ? 5 : text.trim().length;
}

/** The screen width to lay lines out in. */
function* screenWidth(plan: PsPlan, envp: readonly string[]): Gen<number> {
  let cols = MAX_LINE;
  if (yield* isatty(1)) {
    const ws = yield* sys.ioctl(1, TIOCGWINSZ);
    const fromTty = !(ws instanceof SysError) && typeof ws === 'object' && ws !== null && 'cols' in ws ? Number((ws as { cols: number }).cols) : 0;
    cols = fromTty > 0 ? fromTty : DEFAULT_TTY_COLS;
  }
  const env = getenv(envp, 'COLUMNS');
  if (env && /^\d+$/.test(env) && Number(env) > 0 && Number(env) < MAX_LINE) cols = Number(env);
  if (plan.req.screenCols !== null) cols = plan.req.screenCols;
  if (plan.req.wide === 1) cols = Math.max(cols, WIDE_COLS);
  if (plan.req.wide > 1) cols = MAX_LINE;
  return cols;
}

/** The clock and memory facts the columns need. */
function* readContext(plan: PsPlan, users: UserDb): Gen<PsContext> {
  const uptime = yield* readFile('/proc/uptime');
  const upSecs = uptime instanceof SysError ? 0 : Number(uptime.split(' ')[0]) || 0;
  const stat = yield* readFile('/proc/stat');
  const btime = stat instanceof SysError ? 0 : Number(/^btime (\d+)/m.exec(stat)?.[1] ?? 0);
  const meminfo = yield* readFile('/proc/meminfo');
  const memTotal = meminfo instanceof SysError ? 0 : Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0);
  const nowNs = yield* sys.clockGettime(0);
  const r = plan.req;
  return {
    users,
    bootTicks: Math.trunc(upSecs * HERTZ),
    bootTimeSec: btime,
    nowSec: nowNs instanceof SysError ? 0 : Math.floor(nowNs / 1e9),
    memTotalKiB: memTotal,
    numericIds: r.numericIds,
    commandNameOnly: r.commandNameOnly,
    cumulative: r.cumulative,
  };
}

export function* psMain({ argv, envp }: ProgramArgs): Program {
  const prog = lastComponent(argv[0] ?? 'ps') || 'ps';
  yield PS_SETUP_NS;
  const users = yield* UserDb.load();
  const selfStat = yield* readFile('/proc/self/stat');
  const ownTty = selfStat instanceof SysError ? 0 : (parseStat(selfStat)?.ttyNr ?? 0);
  const pidWidth = yield* pidColumnWidth();

  let plan: PsPlan;
  try {
    plan = yield* readCommandLine(argv.slice(1), { users, ownTty }, (req) => planOutput(req, pidWidth));
  } catch (e) {
    if (e instanceof PsUsageError) {
      yield* errOut(`error: ${e.message}\n${usageText(prog)}`);
      return 1;
    }
    if (e instanceof PsFatalError) {
      yield* errOut(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const out = new OutBuffer(1);
  if (plan.req.version) {
    yield* out.write('ps from procps-ng 4.0.2\n');
    yield* out.flush();
    return 0;
  }

  const screenCols = yield* screenWidth(plan, envp);
  const ctx = yield* readContext(plan, users);
  const euid = yield* sys.geteuid();
  const wanted = selectionPredicate(plan.req, { euid: euid instanceof SysError ? 0 : euid, ownTty });
  const chosen: ProcInfo[] = [];
  for (const p of yield* readProcTable()) {
    yield PS_PER_PROCESS_NS;
    if (wanted(p)) chosen.push(p);
  }
  const rows = orderRows(chosen, plan.sortKeys, plan.forest, ctx);

  const style: LineStyle = { screenCols, isHeader: true, numericIds: ctx.numericIds };
  const headers = plan.columns.map((c) => c.header);
  const showHeader = plan.req.headers === 'on' || (plan.req.headers === 'auto' && headers.some((h) => h !== ''));
  if (showHeader) yield* out.write(layoutLine(plan.columns, headers.map((text) => ({ text })), style) + '\n');
  for (const { p, chunks } of rows) {
    const cells = plan.columns.map((c) => ({ text: c.spec.text(p, ctx), chunks: c.spec.tree ? chunks : undefined }));
    yield* out.write(layoutLine(plan.columns, cells, { ...style, isHeader: false }) + '\n');
  }
  yield* out.flush();
  return rows.length === 0 ? 1 : 0;
}
