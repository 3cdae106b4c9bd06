// Credential spec lint throughput (in-process, 10,000 generated specs) and CLI cold start against `node -e 0`.
// Run: npm run build && node bench/lint.mjs
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintCredSpecText } from '../dist/plan/lint.js';
import { median, medianOf, table, timeCommand } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COUNT = 10_000;
const RUNS = 5;

/** A credential spec as New-CredentialSpec writes it; every 10th one has a mistake a rule catches. */
function generate(i) {
  const name = `app${String(i).padStart(5, '0')}`;
  const spec = {
    CmsPlugins: ['ActiveDirectory'],
    DomainJoinConfig: {
      Sid: `S-1-5-21-${1000 + i}-${2000 + i}-${3000 + i}${i % 10 === 3 ? '-1105' : ''}`,
      MachineAccountName: i % 10 === 5 ? `${name}$` : name,
      Guid: `56d9b66c-d746-4f87-bd26-${String(i).padStart(12, '0')}`,
      DnsTreeName: 'contoso.com',
      DnsName: 'contoso.com',
      NetBiosName: 'CONTOSO',
    },
    ActiveDirectoryConfig: {
      GroupManagedServiceAccounts: [
        { Name: name, Scope: 'contoso.com' },
        ...(i % 10 === 7 ? [] : [{ Name: name, Scope: 'CONTOSO' }]),
      ],
    },
  };
  return JSON.stringify(spec, null, 4);
}

const specs = Array.from({ length: COUNT }, (_, i) => generate(i));
for (let i = 0; i < 200; i++) lintCredSpecText(specs[i], `warm-${i}.json`); // JIT warm-up

const rates = [];
let errors = 0;
for (let run = 0; run < RUNS; run++) {
  errors = 0;
  const t0 = performance.now();
  for (let i = 0; i < COUNT; i++) {
    for (const f of lintCredSpecText(specs[i], `spec-${i}.json`)) if (f.severity === 'error') errors++;
  }
  rates.push(COUNT / ((performance.now() - t0) / 1000));
}

// The same specs as files, through the CLI (cold process, folder walk, report rendering).
const dir = mkdtempSync(path.join(tmpdir(), 'gmsa-doctor-bench-'));
mkdirSync(path.join(dir, 'specs'));
specs.forEach((text, i) => writeFileSync(path.join(dir, 'specs', `spec-${i}.json`), text));
const cli = path.join(ROOT, 'bin', 'gmsa-doctor.js');
const cliFolder = medianOf(
  RUNS,
  () => timeCommand(process.execPath, [cli, 'credspec', 'lint', path.join(dir, 'specs'), '--format', 'json']).ms,
);
const nodeBare = medianOf(RUNS * 2, () => timeCommand(process.execPath, ['-e', '0']).ms);
const cliVersion = medianOf(RUNS * 2, () => timeCommand(process.execPath, [cli, '--version']).ms);
const cliOne = medianOf(
  RUNS * 2,
  () => timeCommand(process.execPath, [cli, 'credspec', 'lint', path.join(dir, 'specs', 'spec-1.json')]).ms,
);
rmSync(dir, { recursive: true, force: true });

const rate = median(rates);
console.log(
  `credspec lint: ${COUNT} generated specs, ${errors} error findings per pass, median of ${RUNS} runs (Node ${process.version})\n`,
);
console.log(
  table(
    ['measure', 'median', 'ratio'],
    [
      [
        'lint in-process',
        `${Math.round(rate).toLocaleString('en')} specs/s`,
        `${(rate / 20_000).toFixed(1)}x the 20,000/s target`,
      ],
      [
        `CLI, ${COUNT} files in a folder (JSON report)`,
        `${Math.round(cliFolder)} ms`,
        `${Math.round(COUNT / (cliFolder / 1000)).toLocaleString('en')} specs/s`,
      ],
      ['`node -e 0`', `${Math.round(nodeBare)} ms`, '1.0x'],
      [
        '`gmsa-doctor --version` (cold start)',
        `${Math.round(cliVersion)} ms`,
        `${(cliVersion / nodeBare).toFixed(1)}x node -e 0`,
      ],
      [
        '`gmsa-doctor credspec lint one.json` (cold)',
        `${Math.round(cliOne)} ms`,
        `${(cliOne / nodeBare).toFixed(1)}x node -e 0`,
      ],
    ],
  ),
);
