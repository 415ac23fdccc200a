/**
 * What the interactive session takes as the shell's prompt (src/cli/live-session.ts):
 * clear's cursor-home and erase are sent at once, not made part of readline's prompt,
 * which readline redraws (and so would clear what ctsim prints at the prompt again).
 */
import { describe, expect, it } from 'vitest';
import { splitPromptControls } from '../../src/cli/live-session.js';

describe('splitPromptControls', () => {
  it('sends clear\'s sequences at once and keeps the prompt', () => {
    expect(splitPromptControls('\x1b[H\x1b[2J\x1b[3J# ')).toEqual(['\x1b[H\x1b[2J\x1b[3J', '# ']);
  });

  it('keeps a coloured prompt whole (SGR sequences stay in it)', () => {
    expect(splitPromptControls('\x1b[1;32mroot\x1b[0m# ')).toEqual(['', '\x1b[1;32mroot\x1b[0m# ']);
    expect(splitPromptControls('\x1b[2J\x1b[31m# \x1b[0m')).toEqual(['\x1b[2J', '\x1b[31m# \x1b[0m']);
  });

  it('leaves a plain prompt alone', () => {
    expect(splitPromptControls('$ ')).toEqual(['', '$ ']);
  });
});
