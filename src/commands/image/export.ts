/**
 * `ctsim image export NAME DIR|FILE.tar`: writes an image's root file system to this
 * machine — as a directory (e.g. an OCI bundle's rootfs) or a tar archive — with
 * ctsim's executables in it (files that name a simulated program).
 */
import { existsSync, readdirSync, writeFileSync, symlinkSync, chmodSync, utimesSync } from 'node:fs';
import { mkdirAllSync } from '../../cli/state-store.js';
import { join } from 'node:path';
import { Args } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { InputError, UsageError } from '../../sim/input-error.js';
import { imageEntries, listImages, loadImage } from '../../runtime/images.js';
import { buildTar, type TarEntry } from '../../userland/programs/archive/tar-format.js';
import { defaultPrograms } from '../../userland/index.js';

export default class ImageExport extends BaseCommand {
  static override summary = 'Write an image\'s root file system to a directory or a .tar file on this machine.';
  static override examples = ['<%= config.bin %> image export busybox mybundle/rootfs', '<%= config.bin %> image export alpine alpine.tar'];
  static override args = {
    image: Args.string({ description: 'The image (see ctsim image ls).', required: true }),
    dest: Args.string({ description: 'A directory (made if missing; must be empty) or a file name ending in .tar.', required: true }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(ImageExport);
    const img = loadImage(args.image);
    if (!img) throw new UsageError({ source: args.image, expected: `an image ctsim ships (${listImages().join(', ')})` });
    const entries = imageEntries(img, new Set(defaultPrograms().all().map((s) => s.name)));
    try {
      this.write(args.dest, entries);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError({ source: args.dest, expected: 'a place on this machine ctsim can write', found: (e as NodeJS.ErrnoException).code ?? String(e), fix: 'check the path and its permissions' });
    }
  }

  private write(dest: string, entries: TarEntry[]): void {
    const args = { dest };
    if (args.dest.endsWith('.tar')) {
      writeFileSync(args.dest, Buffer.from(buildTar(entries), 'latin1'));
      return;
    }
    if (existsSync(args.dest) && readdirSync(args.dest).length > 0) {
      throw new InputError({ source: args.dest, expected: 'an empty or missing directory', found: 'a directory with files in it', fix: 'remove it or choose another' });
    }
    try {
      mkdirAllSync(args.dest, 0o755);
    } catch (e) {
      throw new InputError({ source: args.dest, expected: 'a directory ctsim can create', found: (e as NodeJS.ErrnoException).code ?? String(e) });
    }
    for (const e of entries) {
      const p = join(args.dest, e.path);
      if (e.type === 'dir') mkdirAllSync(p, 0o755);
      else if (e.type === 'symlink') symlinkSync(e.linkTarget!, p);
      else if (e.type === 'file') writeFileSync(p, Buffer.from(e.content ?? '', 'latin1'));
      if (e.type === 'dir' || e.type === 'file') chmodSync(p, e.mode);
    }
    // Directory modes last, so that a read-only directory was still writable while filled.
    for (const e of entries) if (e.type === 'dir') utimesSync(join(args.dest, e.path), e.mtimeSec, e.mtimeSec);
  }
}
