/**
 * The command table (oclif "explicit" strategy: faster start-up than scanning a
 * directory). Keys are command ids; `ctsim a b` is id `a:b`.
 */
import Features from './features.js';
import MemReplay from './mem/replay.js';
import MemTranslate from './mem/translate.js';
import Sched from './sched.js';
import Sh from './sh.js';

export const commands = {
  features: Features,
  'mem:replay': MemReplay,
  'mem:translate': MemTranslate,
  sched: Sched,
  sh: Sh,
};
