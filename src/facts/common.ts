import { z } from 'zod';

/** What one command printed and how it ended: raw, so saved facts can be judged again by newer parsers. */
export const commandCapture = z.object({
  /** The command line as a person would type it. */
  command: z.string(),
  /** null when the command did not end by itself (timeout, not started). */
  exitCode: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  timedOut: z.boolean(),
  /** The program does not exist on this machine (or in this container image). */
  notFound: z.boolean(),
});
export type CommandCapture = z.infer<typeof commandCapture>;

export const sid = z.string().regex(/^S-1-\d+(-\d+)*$/, 'not a SID (S-1-...)');
export const isoTime = z.iso.datetime({ offset: true });
export const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'not a GUID');
