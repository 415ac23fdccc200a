// Case 5 — CLI latency: `ctsim --version`, `ctsim sh -c true` and `ctsim run -- true`
// as whole processes (Node's start-up included) next to `node -e 0`, the floor any
// Node program pays. Runs are interleaved, so a busy moment of the machine falls on
// all four alike; each figure is the median wall time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { best, median, now } from '../lib.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'run.js');

const COMMANDS = [
  { id: 'cli.version', label: 'ctsim --version', args: ['--version'], stdout: /^ctsim\/\S+ /, target: 2.5 },
  { id: 'cli.sh-true', label: 'ctsim sh -c true', args: ['sh', '-c', 'true'], stdout: /^$/, target: 4 },
  { id: 'cli.run-true', label: 'ctsim run -- true', args: ['run', '--', 'true'], stdout: /^$/, target: 5 },
];

/** Wall time in ms of one process; throws when it fails or prints what it should not. */
function timeProcess(argv, env, expect) {
  const t0 = now();
  const r = spawnSync(process.execPath, argv, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  const ms = now() - t0;
  if (r.status !== 0 || r.stderr !== '' || (expect && !expect.test(r.stdout))) {
    throw new Error(`bench cli: ${argv.join(' ')} exited ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return ms;
}

export default function cli({ smoke }) {
  const reps = smoke ? 5 : 15;
  // ctsim keeps persistent hosts under $XDG_STATE_HOME/ctsim (run without --root keeps
  // nothing, but --help texts read the variable); never the user's own directory.
  const state = mkdtempSync(join(tmpdir(), 'ctsim-bench-cli-'));
  const env = { ...process.env, XDG_STATE_HOME: state };
  delete env.NODE_ENV;
  const nodeMs = [];
  const ctsimMs = COMMANDS.map(() => []);
  try {
    // One untimed round first: the file cache is warm for every timed run.
    timeProcess(['-e', '0'], env);
    for (const c of COMMANDS) timeProcess([BIN, ...c.args], env, c.stdout);
    for (let i = 0; i < reps; i++) {
      nodeMs.push(timeProcess(['-e', '0'], env));
      COMMANDS.forEach((c, k) => ctsimMs[k].push(timeProcess([BIN, ...c.args], env, c.stdout)));
    }
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
  const ref = median(nodeMs);
  return COMMANDS.map((c, k) => {
    const ms = median(ctsimMs[k]);
    const ratio = ms / ref;
    return {
      id: c.id,
      case: `5. ${c.label}: wall time of the whole process`,
      value: ms,
      unit: 'ms',
      reference: ref,
      refLabel: 'node -e 0',
      ratio,
      better: 'lower',
      target: `<= ${c.target}x node -e 0`,
      ok: ratio <= c.target,
      extra: `median of ${reps}, interleaved; best ${best(ctsimMs[k]).toFixed(0)} ms vs ${best(nodeMs).toFixed(0)} ms, ratio ${(best(ctsimMs[k]) / best(nodeMs)).toFixed(2)}`,
    };
  });
}
