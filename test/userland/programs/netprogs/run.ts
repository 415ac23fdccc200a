/**
 * Runs a shell script on a booted host for the netprogs tests and returns a
 * transcript: "$ cmd", its merged output (decoded from UTF-8, for wget's
 * quotation marks) and "status=N" for each command.
 */
import { createHost } from '../../../../src/index.js';

export interface TranscriptOptions {
  /** Run in a fresh network namespace with only lo up (default: the host's, with eth0 and the outside network). */
  isolated?: boolean;
  seed?: number;
}

export function transcript(setup: string, commands: string[], opts: TranscriptOptions = {}): string {
  const lines = commands.map((c) => `echo '$ ${c.replace(/'/g, "'\\''")}'; ${c} 2>&1; echo "status=$?"`).join('\n');
  const script = `${opts.isolated ? 'ip link set lo up\n' : ''}${setup}\n${lines}\n`;
  const h = createHost({ cpus: 2, seed: opts.seed ?? 1 });
  const r = h.sh(`cat > /tmp/transcript.sh <<'END_OF_SCRIPT'\n${script}END_OF_SCRIPT\n${opts.isolated ? 'unshare -n ' : ''}sh /tmp/transcript.sh`, { maxSteps: 20_000_000 });
  return Buffer.from(r.stdout + r.stderr, 'latin1').toString('utf8');
}
