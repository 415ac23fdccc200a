/**
 * The entry of the CLI's commands bundle, dist/bundle/commands.cjs (see start.ts):
 * every command, and the help class package.json's oclif.helpClass names.
 */
export { commands } from '../commands/index.js';
export { CtsimHelp as Help } from './command-help.js';
