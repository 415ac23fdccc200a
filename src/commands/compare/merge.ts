/**
 * `ctsim compare merge PART…`: the parts written by `ctsim compare … --shard I/N` on one
 * or many machines, checked to belong together and assembled into the report the
 * single-machine run gives — printed exactly as `ctsim compare` prints it (table,
 * `--json`, `--html FILE`, `--check`). See docs/compare-sweeps.md.
 */
import { Args } from '@oclif/core';
import { InputError } from '../../sim/index.js';
import { mergeParts } from '../../compare/shard.js';
import { CompareOutputCommand } from '../compare-output.js';
import { readInputFile, readStdinBytes } from '../input-files.js';

export default class CompareMerge extends CompareOutputCommand {
  static override summary = 'Merge the JSON parts of a sharded ctsim compare into its report.';

  static override description = `Each part is what \`ctsim compare SCENARIO --shard I/N\` printed. The parts must come from the same scenario (its text hashed), ctsim version, --param, --repeat and --seed-from, and hold every shard 1 … N once; the merge prints what \`ctsim compare SCENARIO\` with the same flags prints on one machine, byte for byte. "-" reads a part from standard input.`;

  static override examples = [
    { description: 'Four shards run anywhere, merged into the table:', command: '<%= config.bin %> compare merge part-1.json part-2.json part-3.json part-4.json' },
    { description: 'The same as JSON, failing when a claim does not hold:', command: '<%= config.bin %> compare merge part-*.json --json --check' },
  ];

  static override strict = false;

  static override args = {
    parts: Args.string({ description: 'The parts (files of JSON from ctsim compare --shard I/N), one or more; "-" reads one from standard input.', required: false }),
  };

  static override flags = CompareOutputCommand.outputFlags;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CompareMerge);
    const files = argv as string[];
    const parts = files.map((file) => {
      const text = file === '-' ? readStdin() : readInputFile(file, 'PART', 'a readable part file (JSON from ctsim compare --shard I/N)');
      try {
        return { file, doc: JSON.parse(text) as unknown };
      } catch (e) {
        throw new InputError({ source: file === '-' ? 'standard input' : file, expected: 'a part: JSON from ctsim compare --shard I/N', found: (e as Error).message });
      }
    });
    this.printReport(mergeParts(parts), flags);
  }
}

function readStdin(): string {
  return readStdinBytes('a part: JSON from ctsim compare --shard I/N').toString('utf8');
}
