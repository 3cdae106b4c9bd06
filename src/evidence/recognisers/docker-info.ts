/** `docker info` as text (client and server sections) or as JSON (`docker info --format '{{json .}}'`). */
import { fromDockerInfoJson, parseDockerInfoText } from '../../protocol/parsers/docker-info.js';
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import { NOTHING, makeItem, type Recognition } from '../item.js';
import { jsonBlock } from './json.js';

const LABEL =
  /^(?:Client|Server|Server Version|Storage Driver|Docker Root Dir|Default Isolation|OSType|Operating System|Kernel Version|Containers|Running|Paused|Stopped|Images|Logging Driver|Plugins|Architecture|CPUs|Total Memory|Name|ID|Debug Mode|Registry|Labels|Experimental|Insecure Registries|Live Restore Enabled|Product License|Context|Version|Volume|Network|Log|Swarm|Default Runtime|Init Binary|containerd version|runc version|init version|Security Options|HTTP Proxy|HTTPS Proxy|No Proxy|Username|Registry Mirrors|Cgroup Driver|Cgroup Version)\s*:/;
const DISTINCT = /^(?:Server Version|Docker Root Dir|Default Isolation|Storage Driver|OSType): /;

export function recogniseDockerInfo(block: Block): Recognition {
  const isCommand = block.command?.program === 'docker' && /^(?:system\s+)?info\b/.test(block.command.args);
  const json = jsonBlock(block.lines);
  if (
    json &&
    typeof json.value === 'object' &&
    json.value !== null &&
    !Array.isArray(json.value) &&
    'DockerRootDir' in json.value
  ) {
    const info = fromDockerInfoJson(json.value);
    const quote = json.lines.filter((l) =>
      /"(?:ServerVersion|DockerRootDir|Isolation|OperatingSystem|KernelVersion)"/.test(l.text),
    );
    return {
      items: [makeItem('docker-info', quote.length > 0 ? quote : json.lines.slice(0, 1), info, { extent: json.lines })],
      read: json.lines,
    };
  }
  const read: NormalisedLine[] = block.lines.filter((l) => l.text.includes(':') && LABEL.test(l.text.trim()));
  const distinct = read.filter((l) => DISTINCT.test(l.text.trim()));
  if (distinct.length < (isCommand ? 1 : 2)) return NOTHING;
  const info = parseDockerInfoText(read.map((l) => l.text).join('\n'));
  return { items: [makeItem('docker-info', distinct, info, { extent: read })], read };
}
