/** Registers dash, the Debian Almquist shell (/usr/bin/dash, /bin/sh → dash), and coreutils' printf, test and [. */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import { dashMain } from './main.js';
import { printfMain, testMain } from './coreutils.js';

export function registerDash(t: ProgramTable): void {
  t.add({
    name: 'dash',
    main: dashMain,
    paths: ['/usr/bin/dash'],
    summary: 'dash 0.5.12: POSIX sh with job control; builtins : . [ alias bg break cd chdir command continue echo eval exec exit export false fg getopts hash jobs kill local printf pwd read readonly return set shift test times trap true type ulimit umask unalias unset wait',
  });
  t.add({ name: 'printf', main: printfMain, paths: ['/usr/bin/printf'], summary: 'coreutils printf: FORMAT [ARGUMENT]... (%q, \\x, \\u)' });
  t.add({ name: 'test', main: testMain, paths: ['/usr/bin/test', '/usr/bin/['], summary: 'coreutils test / [: EXPRESSION' });
}
