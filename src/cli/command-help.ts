/**
 * oclif's help, with the page of one command (`ctsim run --help`) made from the
 * command's class rather than from oclif.manifest.json. The manifest is written at build
 * time and serves the command list, the summaries of `ctsim --help` and the dispatch,
 * so that they load no command; but a few texts of a command's page depend on the
 * machine it is shown on (run's --root names the state directory under
 * $XDG_STATE_HOME or ~, vm's --root defaults to it), which a manifest built elsewhere
 * would get wrong. The page is made as oclif makes it when there is no manifest: from
 * the loaded command classes (a root Plugin that ignores the manifest).
 *
 * The class is made from the oclif it is given (start.ts gives the bundle's), so that
 * `ctsim --help` needs oclif only, not the commands.
 */
import type * as Oclif from '@oclif/core';

export function makeCtsimHelp(oclif: Pick<typeof Oclif, 'Help' | 'Plugin'>): typeof Oclif.Help {
  return class CtsimHelp extends oclif.Help {
    override async showCommandHelp(command: Oclif.Command.Loadable): Promise<void> {
      const plugin = new oclif.Plugin({ root: this.config.root, pjson: this.config.pjson, isRoot: true, ignoreManifest: true, errorOnManifestCreate: true });
      await plugin.load();
      await super.showCommandHelp(plugin.commands.find((c) => c.id === command.id) ?? command);
    }
  };
}
