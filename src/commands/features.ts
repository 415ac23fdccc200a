/** `ctsim features`: the support table — what ctsim models fully, in part, or not at all. */
import { Flags } from '@oclif/core';
import { BaseCommand } from './base.js';
import { FEATURE_AREAS, features, type FeatureArea } from '../features.js';
import { renderFeaturesMarkdown, renderFeaturesText } from '../report/features-report.js';
import { UsageError } from '../sim/input-error.js';

export default class Features extends BaseCommand {
  static override summary = 'Show what ctsim models: system calls, namespaces, cgroups, devices, file systems, schedulers, virtualization, programs.';
  static override examples = ['<%= config.bin %> features', '<%= config.bin %> features --area syscall --level none', '<%= config.bin %> features --json'];
  static override flags = {
    area: Flags.string({ description: `Only this area (${FEATURE_AREAS.join(', ')}).` }),
    level: Flags.string({ description: 'Only entries with this support level.', options: ['full', 'partial', 'none'] }),
    json: Flags.boolean({ description: 'Print JSON.' }),
    markdown: Flags.boolean({ description: 'Print Markdown (as docs/FEATURES.md).' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Features);
    if (flags.area && !(FEATURE_AREAS as readonly string[]).includes(flags.area)) {
      throw new UsageError({ source: '--area', expected: `one of ${FEATURE_AREAS.join(', ')}`, found: flags.area });
    }
    let list = features();
    if (flags.area) list = list.filter((x) => x.area === flags.area);
    if (flags.level) list = list.filter((x) => x.level === flags.level);
    if (flags.json) this.printJson({ ctsim: this.config.version, features: list });
    else if (flags.markdown) this.out(renderFeaturesMarkdown(list, flags.area ? [flags.area as FeatureArea] : FEATURE_AREAS));
    else this.out(renderFeaturesText(list, process.stdout.columns ?? 100));
  }
}
