import type { Command } from 'commander';
import { ALL_CHECKS } from '../checks/index.js';
import { SECTION_ORDER, SECTIONS } from '../engine/sections.js';

export function registerChecks(program: Command): void {
  program
    .command('checks')
    .description('list the catalogue of checks, grouped by the section of the troubleshooting guide')
    .option('--format <format>', 'text or json', 'text')
    .action((opts: { format: string }) => {
      if (opts.format === 'json') {
        process.stdout.write(
          JSON.stringify(
            ALL_CHECKS.map((c) => c.meta),
            null,
            2,
          ) + '\n',
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
      process.stdout.write(lines.join('\n') + '\n');
    });
}
