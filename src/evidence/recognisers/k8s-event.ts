/**
 * Events of `kubectl describe pod|deployment|daemonset` (the `Events:` table: Type, Reason, Age, From, Message) and
 * of `kubectl get events` (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE). The message is also read by the recognisers of
 * what it holds (HCS errors, webhook errors): the event says who reported it and how often.
 */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { K8sEventData } from '../types.js';
import { compact, makeItem, type Recognition } from '../item.js';

const HEADER =
  /^(?:Events:|Type\s{2,}Reason\s{2,}Age\s{2,}From\s{2,}Message|-{2,}(?:\s{1,40}-{2,}){4}|LAST SEEN\s{2,}TYPE\s{2,}REASON\s{2,}OBJECT\s{2,}MESSAGE)$/;
/** `Warning  FailedCreate  8m15s (x85 over 18h)  daemonset-controller  Error creating: ...` */
const DESCRIBE_ROW =
  /^(Normal|Warning)\s{1,20}([A-Z][A-Za-z]{1,60})\s{2,20}(\S{1,20}(?: \(x\d{1,9} over \S{1,20}\))?)\s{2,20}(\S{1,200}(?:, \S{1,200})?)\s{2,20}(\S.*)$/;
/** `5m  Warning  FailedCreatePodSandBox  pod/x  Failed to create pod sandbox: ...` */
const GET_ROW = /^(\S{1,20})\s{2,20}(Normal|Warning)\s{2,20}([A-Z][A-Za-z]{1,60})\s{2,20}(\S{1,300})\s{2,20}(\S.*)$/;

export function recogniseK8sEvents(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (const line of block.lines) {
    const text = line.text.trim();
    const lead = text[0];
    if ((lead === 'E' || lead === 'T' || lead === '-' || lead === 'L') && HEADER.test(text)) {
      read.push(line);
      continue;
    }
    if (!/Normal|Warning/.test(text)) continue;
    const d = DESCRIBE_ROW.exec(text);
    const g = d ? null : GET_ROW.exec(text);
    if (!d && !g) continue;
    const data: K8sEventData = d
      ? compact({ type: d[1], reason: d[2] ?? '', age: d[3], from: d[4], message: (d[5] ?? '').trim() })
      : compact({ age: g?.[1], type: g?.[2], reason: g?.[3] ?? '', from: g?.[4], message: (g?.[5] ?? '').trim() });
    items.push(makeItem('k8s-event', [line], data));
    read.push(line);
  }
  return { items, read };
}
