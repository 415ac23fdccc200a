/**
 * Golden cases for the text tools: a command line, its input files and standard
 * input, and what GNU coreutils 9.1 / grep 3.8 / sed 4.9 / findutils 4.9 printed for
 * it on Debian 12 with LC_ALL=C (the cases in golden/ were captured that way). The
 * runner boots a fresh host, creates the files in /tmp/w in the given order, runs the
 * command there and returns what it printed.
 */
import { createHost, type RunResult } from '../../../src/index.js';
import { defaultPrograms } from '../../../src/userland/index.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { SysError } from '../../../src/kernel/errno.js';
import { O_CREAT, O_TRUNC, O_WRONLY } from '../../../src/kernel/vfs/types.js';
import type { ProgramArgs, Program } from '../../../src/kernel/proc/program.js';

export interface GoldenCase {
  argv: string[];
  stdin?: string;
  /** Files to create, relative to the working directory, in creation order. */
  files?: Record<string, string>;
  /** Files whose contents after the run are part of the result. */
  after?: string[];
  stdout: string;
  stderr: string;
  status: number;
  /** Their contents after the run ("<missing>" if absent). */
  afterContents?: Record<string, string>;
}

/** Test-only program: `mkfile PATH` writes its standard input to PATH, creating directories. */
function* mkfile({ argv }: ProgramArgs): Program {
  const path = argv[1];
  const parts = path.split('/');
  for (let i = 2; i < parts.length; i++) yield* sys.mkdir(parts.slice(0, i).join('/'));
  const fd = yield* sys.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644);
  if (fd instanceof SysError) return 1;
  for (;;) {
    const d = yield* sys.read(0, 65536);
    if (d instanceof SysError || d === '') break;
    yield* sys.write(fd, d);
  }
  yield* sys.close(fd);
  return 0;
}

const programs = defaultPrograms();
programs.add({ name: 'mkfile', main: mkfile, paths: ['/usr/local/bin/mkfile'] });

/** Working directory of golden runs. */
export const WORKDIR = '/tmp/w';
const ENV = ['PATH=/usr/local/bin:/usr/bin:/bin', 'HOME=/tmp/w'];

export interface GoldenResult {
  stdout: string;
  stderr: string;
  status: number;
  afterContents?: Record<string, string>;
  run: RunResult;
}

/** Runs a golden case on a fresh host. */
export function runGolden(c: GoldenCase): GoldenResult {
  const host = createHost({ cpus: 2, seed: 1, programs });
  host.run(['mkfile', `${WORKDIR}/.keep`], { path: '/usr/local/bin/mkfile', env: ENV, cwd: '/' });
  for (const [f, text] of Object.entries(c.files ?? {})) {
    const r = host.run(['mkfile', `${WORKDIR}/${f}`], { path: '/usr/local/bin/mkfile', stdin: text, env: ENV, cwd: '/' });
    if (r.status !== 0) throw new Error(`cannot create ${f}`);
  }
  const name = c.argv[0];
  const run = host.run(c.argv, { path: name.includes('/') ? name : `/usr/bin/${name}`, stdin: c.stdin ?? '', env: ENV, cwd: WORKDIR, maxSteps: 20_000_000 });
  let afterContents: Record<string, string> | undefined;
  if (c.after) {
    afterContents = {};
    for (const f of c.after) {
      const a = host.run(['cat', `${WORKDIR}/${f}`], { path: '/usr/bin/cat', env: ENV });
      afterContents[f] = a.status === 0 ? a.stdout : '<missing>';
    }
  }
  return { stdout: run.stdout, stderr: run.stderr, status: run.status, afterContents, run };
}
