/**
 * The command table (oclif "explicit" strategy: faster start-up than scanning a
 * directory). Keys are command ids; `ctsim a b` is id `a:b`.
 */
export const commands = {};
