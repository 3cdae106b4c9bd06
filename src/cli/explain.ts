import type { Command } from 'commander';
import { ALL_CHECKS } from '../checks/index.js';
import { chainLink } from '../engine/chain.js';
import { SECTIONS, sectionDocs } from '../engine/sections.js';
import { SUBJECT_KINDS } from '../facts/subjects.js';
import { withExamples } from './help.js';
import { UsageError } from './output.js';

/** Ids that contain what was typed first, then the other ids of the same area. */
function closest(id: string): string[] {
  const [area] = id.split('/');
  const ids = ALL_CHECKS.map((c) => c.meta.id);
  const containing = ids.filter((known) => known.includes(id));
  const sameArea = ids.filter((known) => area && known.startsWith(`${area}/`) && !containing.includes(known));
  return [...containing, ...sameArea];
}

export function registerExplain(program: Command): void {
  const command = program
    .command('explain')
    .argument('<id>', 'check id, e.g. credspec/plugin-guid')
    .description("print one check's documentation: what it looks at, why, and how to fix what it finds");
  withExamples(command, [
    {
      does: 'what host/can-retrieve-password looks at, why, and how to fix it',
      run: 'gmsa-doctor explain host/can-retrieve-password',
    },
    { does: 'an id not quite remembered: the closest ones are listed', run: 'gmsa-doctor explain firewall' },
  ]).action((id: string) => {
    const check = ALL_CHECKS.find((c) => c.meta.id === id);
    if (!check) {
      const near = closest(id);
      throw new UsageError(
        `no check named ${id}.${near.length ? ` Did you mean: ${near.slice(0, 8).join(', ')}?` : ''} \`gmsa-doctor checks\` lists them all.`,
      );
    }
    const { meta } = check;
    process.stdout.write(
      [
        `${meta.id}: ${meta.title}`,
        '',
        `Section:   ${SECTIONS[meta.section].title}`,
        `           ${sectionDocs(meta.section)}`,
        `Looks at:  ${meta.looksAt}`,
        `Needs:     ${check.needs.join(', ') || '(nothing)'}`,
        ...(check.subject ? [`Judges:    each ${SUBJECT_KINDS[check.subject].title} on its own`] : []),
        `In chain:  ${meta.link ? chainLink(meta.link).title : '(outside the cause chain)'}`,
        '',
        `Why: ${meta.why}`,
        '',
        `Fix: ${meta.remediation}`,
        '',
      ].join('\n'),
    );
  });
}
