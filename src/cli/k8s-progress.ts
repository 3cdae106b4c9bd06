/**
 * The scan's progress line on a terminal's standard error (nothing on pipes, files or CI): the list being read
 * with its counts, then the access reviews and the webhook; rewritten at most every 100 ms, erased at the end.
 */
import type { ScanProgress } from '../plan/k8s-scan.js';

export interface ScanProgressSink {
  update(event: ScanProgress): void;
  end(): void;
}

const INTERVAL_MS = 100;

export function k8sProgress(
  stream: NodeJS.WriteStream = process.stderr,
  now = () => performance.now(),
): ScanProgressSink | undefined {
  if (!stream.isTTY || process.env.CI) return undefined;
  const lists = new Map<string, boolean>();
  let last = -Infinity;
  let shown = false;
  return {
    update(event) {
      if (event.stage === 'list') lists.set(event.resource, event.done);
      const t = now();
      if (t - last < INTERVAL_MS) return;
      last = t;
      shown = true;
      stream.write(`\r\u001b[2K${describe(event, lists)}`);
    },
    end() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}

export function describe(event: ScanProgress, lists: ReadonlyMap<string, boolean>): string {
  switch (event.stage) {
    case 'list': {
      const done = [...lists.values()].filter(Boolean).length;
      const kept = event.kept === event.read ? '' : `, ${event.kept.toLocaleString('en-US')} kept`;
      return `reading ${event.resource}: ${event.read.toLocaleString('en-US')}${kept} (${done} of ${lists.size} lists done)`;
    }
    case 'access reviews':
      return `asking the webhook's access reviews: ${event.asked} of ${event.total}`;
    case 'webhook':
      return `reaching the webhook ${event.target}`;
  }
}
