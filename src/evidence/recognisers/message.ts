/** Sentences that are evidence by themselves, with no structure around them. */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { LookAlike, MessageData } from '../types.js';
import { makeItem, type Recognition } from '../item.js';
import { lookAlike } from '../lookalikes.js';

const MESSAGES: readonly { id: MessageData['id']; pattern: RegExp; lookAlike?: LookAlike }[] = [
  {
    id: 'hostprocess-token-path',
    pattern:
      /open \/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/token: The system cannot find the path specified/,
    lookAlike: lookAlike('hostprocess-token-path', true),
  },
  {
    id: 'ad-server-down',
    pattern:
      /Unable to contact the server\. This may be because this server does not exist, it is currently down, or it does not have the Active Directory Web Services running/,
  },
  {
    id: 'access-denied',
    pattern:
      /^\{Access Denied\}(?: A process has requested access to an object, but has not been granted those access rights\.)?$/,
  },
];

export function recogniseMessages(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (const line of block.lines) {
    if (
      !line.text.includes('/var/run/secrets') &&
      !line.text.includes('Unable to contact') &&
      !line.text.includes('{Access Denied}')
    )
      continue;
    const text = line.text.trim();
    const found = MESSAGES.find((m) => m.pattern.test(text));
    if (!found) continue;
    items.push(
      makeItem('message', [line], { id: found.id, text }, found.lookAlike ? { lookAlike: found.lookAlike } : {}),
    );
    read.push(line);
  }
  return { items, read };
}
