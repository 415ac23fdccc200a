/** `ctsim image ls`: the images ctsim ships. */
import { BaseCommand } from '../base.js';
import { Flags } from '@oclif/core';
import { listImages, loadImage } from '../../runtime/images.js';

export default class ImageLs extends BaseCommand {
  static override summary = 'List the container images ctsim ships (for ctsim run --image and ctsim image export).';
  static override flags = { json: Flags.boolean({ description: 'Print JSON.' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(ImageLs);
    const imgs = listImages().map((n) => loadImage(n)!);
    if (flags.json) {
      this.printJson(imgs.map((i) => ({ name: i.name, tag: i.tag, description: i.description })));
      return;
    }
    const w = Math.max(10, ...imgs.map((i) => i.name.length + 1));
    this.out(`${'REPOSITORY'.padEnd(w)} ${'TAG'.padEnd(6)} DESCRIPTION\n` + imgs.map((i) => `${i.name.padEnd(w)} ${i.tag.padEnd(6)} ${i.description}\n`).join(''));
  }
}
