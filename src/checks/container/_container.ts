/** What the checks of "Check the container" share: reading the captures of the commands run inside a container. */
import type { FindingDraft } from '../../engine/finding.js';
import type { CommandCapture } from '../../facts/common.js';
import type { ContainerFacts } from '../../facts/docker.js';
import { captureText, toolMissing } from '../../protocol/parsers/capture.js';
import { parseNltest } from '../../protocol/parsers/nltest.js';
import type { NltestResult, NltestStatus } from '../../protocol/parsers/nltest.js';

/** A capture that ran (the tool exists) and its nltest reading. */
export function nltestOf(capture: CommandCapture | undefined): NltestResult | undefined {
  if (!capture || toolMissing(capture) || capture.timedOut) return undefined;
  return parseNltest(captureText(capture));
}

export function statusLine(s: NltestStatus): string {
  return `${s.code} ${s.hex} ${s.name}`;
}

/** nltest statuses that mean the container has no gMSA identity at all. */
export const NO_IDENTITY = new Set([1722, 1786]);
/** nltest statuses that mean no domain controller was found. */
export const DC_NOT_FOUND = new Set([1311, 1355]);

export function firstError(result: NltestResult | undefined): NltestStatus | undefined {
  return result?.error ?? result?.failure?.status;
}

export function none(what: string): FindingDraft[] {
  return [{ severity: 'skipped', message: `Skipped: ${what}.` }];
}

/** An LCOW container on a Windows host: `Platform: linux` in its inspect data. */
export function isLinuxContainer(c: Pick<ContainerFacts, 'platform'>): boolean {
  return c.platform?.toLowerCase() === 'linux';
}

/**
 * What a gMSA check of a Windows container says about a Linux one: nothing applies, container/windows-platform has
 * said why. Undefined for a Windows container (judge it).
 */
export function linuxSkip(c: ContainerFacts): FindingDraft[] | undefined {
  if (!isLinuxContainer(c)) return undefined;
  return [
    {
      severity: 'skipped',
      subject: c.name,
      message: `Skipped: ${c.name} is a Linux container, which can never use a gMSA (see container/windows-platform).`,
    },
  ];
}

/** `Container web1`, or `The container` for the one a paste's commands ran in without naming it. */
export function containerText(c: Pick<ContainerFacts, 'name' | 'seen'>): string {
  return c.seen === 'paste' && c.name === 'the container' ? 'The container' : `Container ${c.name}`;
}

/** The container's name in a command to run: a placeholder for the one a paste did not name. */
export function execName(c: Pick<ContainerFacts, 'name' | 'seen'>): string {
  return c.seen === 'paste' && c.name === 'the container' ? '<container>' : c.name;
}

/** A container known only from a paste: its configuration was not seen, so what rests on it is not judged. */
export function pastedSkip(c: ContainerFacts, what: string): FindingDraft[] | undefined {
  if (c.seen !== 'paste') return undefined;
  return [{ severity: 'skipped', subject: c.name, message: `Skipped: the paste does not show ${what}.` }];
}
