/**
 * Runs a shell script on a booted host for the netutils tests, with the parts of the
 * output that a seed chooses (random MAC addresses and the IPv6 link-local addresses
 * made from them) replaced by placeholders, so that the tests check iproute2's
 * formats rather than the random draws.
 */
import { sh } from '../../../helpers/host.js';

/** Every unicast MAC (not all-zero, not broadcast) → "MAC"; fe80:: addresses → "fe80::LL". */
export function mask(text: string): string {
  return text
    .replace(/\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b/g, (m) => (m === '00:00:00:00:00:00' || m === 'ff:ff:ff:ff:ff:ff' || m.startsWith('02:00:00') ? m : 'MAC'))
    .replace(/fe80::[0-9a-f:]+/g, 'fe80::LL');
}

/**
 * Runs each command after `setup` and returns "$ cmd", its merged output and
 * "status=N" lines. The whole script runs in a network namespace of its own (with lo
 * up), so that the host's own interfaces and routes stay out of the transcript.
 */
export function transcript(setup: string, commands: string[]): string {
  const lines = commands.map((c) => `echo '$ ${c.replace(/'/g, "'\\''")}'; ${c} 2>&1; echo "status=$?"`).join('\n');
  const script = `ip link set lo up\n${setup}\n${lines}\n`;
  const r = sh(`cat > /tmp/transcript.sh <<'END_OF_SCRIPT'\n${script}END_OF_SCRIPT\nunshare -n sh /tmp/transcript.sh`);
  return mask(r.stdout + r.stderr);
}
