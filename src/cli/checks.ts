import { Option } from 'commander';
import type { Command } from 'commander';
import { ALL_CHECKS } from '../checks/index.js';
import { SECTION_ORDER, SECTIONS } from '../engine/sections.js';
import { withExamples } from './help.js';
import { writeOutput } from './output.js';

export function registerChecks(program: Command): void {
  const command = program
    .command('checks')
    .description('list the catalogue of checks, grouped by the section of the troubleshooting guide')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the list to a file instead of standard output');
  withExamples(command, [
    { does: 'every check, by section of the troubleshooting guide', run: 'gmsa-doctor checks' },
    { does: "the catalogue's metadata as JSON", run: 'gmsa-doctor checks --format json -o checks.json' },
    { does: 'one check documented', run: 'gmsa-doctor explain network/firewall' },
  ]).action((opts: { format: string; output?: string }) => {
    if (opts.format === 'json') {
      writeOutput(
        JSON.stringify(
          ALL_CHECKS.map((c) => c.meta),
          null,
          2,
        ) + '\n',
        opts.output,
      );
      return;
    }
    const width = Math.max(...ALL_CHECKS.map((c) => c.meta.id.length));
    const lines: string[] = [];
    for (const section of SECTION_ORDER) {
      const checks = ALL_CHECKS.filter((c) => c.meta.section === section);
      if (checks.length === 0) continue;
      lines.push(SECTIONS[section].title);
      for (const { meta } of checks) lines.push(`  ${meta.id.padEnd(width)}  ${meta.title}`);
      lines.push('');
    }
    lines.push(`${ALL_CHECKS.length} checks. \`gmsa-doctor explain ID\` documents one.`);
    writeOutput(lines.join('\n') + '\n', opts.output);
  });
}
