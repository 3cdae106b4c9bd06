/**
 * `docker: Error response from daemon: <message>` (and the same after a PowerShell `docker : ` record head) when no
 * more specific recogniser reads the message (HCS errors, credential spec errors have their own).
 */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import { makeItem, type Recognition } from '../item.js';

const DAEMON = /Error response from daemon: (.{1,4000})$/;
const HANDLED =
  /hcsshim::|hcs::|encountered an error during|failure in a Windows system call|credential spec|security option/;

export function recogniseDockerDaemonError(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (const line of block.lines) {
    // The CLI's hint under every daemon error.
    if (/^See '(?:docker|docker\.exe) [\w -]{1,40} --help'\.$/.test(line.text.trim())) read.push(line);
    const m = line.text.includes('Error response from daemon') ? DAEMON.exec(line.text) : null;
    if (!m?.[1] || HANDLED.test(m[1])) continue;
    items.push(makeItem('docker-daemon-error', [line], { message: m[1].trim() }));
    read.push(line);
  }
  return { items, read };
}
