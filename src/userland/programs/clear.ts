/**
 * clear(1) from ncurses 6.4 (Debian's ncurses-bin): writes the terminal's
 * "clear screen" capability, and with it the one that clears the scrollback (E3),
 * for the terminal type in $TERM (or -T TYPE). -x leaves the scrollback alone;
 * -V prints the ncurses version.
 *
 * Simplification: there is no terminfo database on the simulated disk; a table of
 * the common terminal types holds what their terminfo entries say (checked against
 * the real clear's output for each). Other types are "unknown terminal type", as
 * they are to ncurses when their entry is missing.
 */
import type { Program, ProgramArgs } from '../../kernel/proc/program.js';
import { errOut, out } from '../lib/io.js';
import { getopt, GetoptError } from '../lib/getopt.js';

/** User CPU of looking up the entry and writing it, ns: a design choice. */
const CLEAR_NS = 40_000;

const HOME_CLEAR_ALL = '\x1b[H\x1b[2J';
const HOME_CLEAR_BELOW = '\x1b[H\x1b[J';
const SCROLLBACK = '\x1b[3J';

/** clear and E3 of the common terminal types (23 of the entries ncurses-base ships). */
const TERMINALS: Record<string, { clear: string; e3: string }> = {
  xterm: { clear: HOME_CLEAR_ALL, e3: SCROLLBACK },
  'xterm-256color': { clear: HOME_CLEAR_ALL, e3: SCROLLBACK },
  'xterm-color': { clear: HOME_CLEAR_ALL, e3: '' },
  rxvt: { clear: HOME_CLEAR_ALL, e3: '' },
  linux: { clear: HOME_CLEAR_BELOW, e3: SCROLLBACK },
  tmux: { clear: HOME_CLEAR_BELOW, e3: SCROLLBACK },
  'tmux-256color': { clear: HOME_CLEAR_BELOW, e3: SCROLLBACK },
  screen: { clear: HOME_CLEAR_BELOW, e3: '' },
  'screen-256color': { clear: HOME_CLEAR_BELOW, e3: '' },
  vt100: { clear: HOME_CLEAR_BELOW, e3: '' },
  vt220: { clear: HOME_CLEAR_BELOW, e3: '' },
  ansi: { clear: HOME_CLEAR_BELOW, e3: '' },
  'rxvt-unicode': { clear: HOME_CLEAR_ALL, e3: '' },
  'rxvt-unicode-256color': { clear: HOME_CLEAR_ALL, e3: '' },
  vt102: { clear: HOME_CLEAR_BELOW, e3: '' },
  'screen.xterm-256color': { clear: HOME_CLEAR_ALL, e3: '' },
  'xterm-debian': { clear: HOME_CLEAR_ALL, e3: SCROLLBACK },
  'screen-bce': { clear: HOME_CLEAR_BELOW, e3: '' },
  'xterm-mono': { clear: HOME_CLEAR_ALL, e3: '' },
  'xterm-r6': { clear: HOME_CLEAR_ALL, e3: '' },
  'xterm-xfree86': { clear: HOME_CLEAR_ALL, e3: '' },
  cons25: { clear: HOME_CLEAR_BELOW, e3: '' },
  sun: { clear: '\f', e3: '' },
};

const USAGE = 'Usage: clear [options]\n\nOptions:\n  -T TERM     use this instead of $TERM\n  -V          print curses-version\n  -x          do not try to clear scrollback\n';

export function* clearMain({ argv, envp }: ProgramArgs): Program {
  yield CLEAR_NS;
  let parsed;
  try {
    parsed = getopt('clear', argv.slice(1), [{ short: 'T', arg: 'required' }, { short: 'V' }, { short: 'x' }]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\n${USAGE}`);
    return 1;
  }
  if (parsed.operands.length > 0) {
    yield* errOut(USAGE);
    return 1;
  }
  if (parsed.values.has('V')) {
    yield* out('ncurses 6.4.20221231\n');
    return 0;
  }
  const given = parsed.values.get('T');
  const type = typeof given === 'string' ? given : envp.find((e) => e.startsWith('TERM='))?.slice(5);
  if (type === undefined) {
    yield* errOut('TERM environment variable not set.\n');
    return 1;
  }
  const entry = TERMINALS[type];
  if (!entry) {
    // "dumb" has an entry but no clear capability: nothing is written, and clear fails.
    if (type !== 'dumb') yield* errOut(`'${type}': unknown terminal type.\n`);
    return 1;
  }
  yield* out(entry.clear + (parsed.values.has('x') ? '' : entry.e3));
  return 0;
}
