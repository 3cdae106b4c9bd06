/**
 * The HTML report in a real browser: Debian's chromium, headless. The page must render from the file alone
 * (no network), show the most likely cause, the chain and the findings, and never show a secret.
 * The screenshot is left in test/output/ for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import type { Finding } from '../../../src/engine/finding.js';
import { escapeHtml, renderHtml } from '../../../src/report/html.js';
import { mostLikelyCause } from '../../../src/report/likely-cause.js';
import type { Report } from '../../../src/report/model.js';

const OUTPUT = fileURLToPath(new URL('../../output/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

const findings: Finding[] = [
  {
    id: 'host/can-retrieve-password',
    title: 'The host may retrieve the gMSA password',
    section: 'host-domain-joined',
    docs: 'https://learn.microsoft.com/virtualization/windowscontainers/manage-containers/gmsa-troubleshooting#domain-joined-hosts-make-sure-the-host-can-use-the-gmsa',
    link: 'host',
    severity: 'error',
    fault: 'password-access-denied',
    subject: 'containerhost02$',
    message:
      'containerhost02$ may not retrieve the password of webapp01$: no allow ACE matches its token <script>alert(1)</script>',
    evidence: { groups: ['Domain Computers'], PluginInput: 'contoso.com:gmsaccg:S3cret!', salt: undefined },
    remediation: {
      text: 'Add the host to WebApp01Hosts, then restart it.',
      commands: ['Add-ADGroupMember -Identity WebApp01Hosts -Members containerhost02$'],
    },
  },
  {
    id: 'known-issues/hostname-must-match',
    title: 'Container hostname equals the gMSA name',
    section: 'known-issues',
    docs: '',
    link: 'container',
    severity: 'pass',
    message: 'Windows Server 2019 separates the identity from the hostname.',
  },
  {
    id: 'container/secure-channel',
    title: 'nltest /sc_verify succeeds inside the container',
    section: 'container',
    docs: '',
    link: 'container',
    severity: 'error',
    subject: 'web',
    message: 'Inside web, nltest /sc_verify answers 1311 ERROR_NO_LOGON_SERVERS.',
  },
];
const report: Report = {
  command: 'check',
  findings,
  inputErrors: [],
  durationMs: 42,
  vantagePoint: 'this machine',
  mostLikelyCause: mostLikelyCause(findings),
};

describe('HTML report', () => {
  it('is one self-contained file: inline CSS, no script, no external resource, text escaped, secrets redacted', () => {
    const html = renderHtml(report, new Date('2026-01-01T00:00:00Z'));
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link |src=|@import|url\(/i);
    expect(html).toContain(escapeHtml('<script>alert(1)</script>'));
    expect(html).not.toContain('S3cret!');
    expect(html).toContain('[redacted]');
  });

  // Chromium alone takes 5 to 10 s to start on a loaded 2-core machine (each command is bounded at 60 s).
  it('renders in headless Chromium with the most likely cause, the chain and the findings (screenshot in test/output)', () => {
    if (!CHROMIUM) throw new Error('chromium is not installed: run scripts/install-deps.sh');
    mkdirSync(OUTPUT, { recursive: true });
    const page = join(OUTPUT, 'report.html');
    const screenshot = join(OUTPUT, 'report.png');
    writeFileSync(page, renderHtml(report, new Date('2026-01-01T00:00:00Z')));
    const profile = mkdtempSync(join(tmpdir(), 'gmsa-chromium-'));
    const flags = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      `--user-data-dir=${profile}`,
      '--window-size=1200,1400',
    ];
    const dom = execFileSync(CHROMIUM, [...flags, '--dump-dom', `file://${page}`], {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(dom).toContain('Most likely cause (container host)');
    expect(dom).toContain(
      'Password retrieval not allowed: containerhost02$ may not retrieve the password of webapp01$',
    );
    expect(dom).toMatch(/<div class="link failed"><b>container host<\/b>failed<\/div>/);
    expect(dom).toMatch(/<div class="link not-checked"><b>gMSA account<\/b>not checked<\/div>/);
    expect(dom).toContain('Add-ADGroupMember -Identity WebApp01Hosts -Members containerhost02$');
    // The injected markup stayed text: the browser built no script element from it.
    expect(dom).not.toContain('<script>alert(1)</script>');
    execFileSync(CHROMIUM, [...flags, `--screenshot=${screenshot}`, `file://${page}`], {
      timeout: 60_000,
      stdio: 'ignore',
    });
    rmSync(profile, { recursive: true, force: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
  }, 90_000);
});

/**
 * Each page in a 390 px wide frame (an iPhone 12-15 held upright), every <details> opened as a reader would: the
 * widest thing on the page must fit. Returns, per page, the page's scroll width and what sticks out.
 */
function measureAt390(
  pages: readonly string[],
): { file: string; scrollWidth: number; clientWidth: number; wide: string[] }[] {
  if (!CHROMIUM) throw new Error('chromium is not installed: run scripts/install-deps.sh');
  const dir = mkdtempSync(join(tmpdir(), 'gmsa-narrow-'));
  const frames = pages.map(
    (p, i) => `<iframe id="f${i}" src="file://${p}" style="width:390px;height:844px;border:0"></iframe>`,
  );
  const measure = `
    const results = [];
    let loaded = 0;
    for (const frame of document.querySelectorAll('iframe')) frame.addEventListener('load', () => {
      const doc = frame.contentDocument;
      for (const d of doc.querySelectorAll('details')) d.open = true;
      const width = doc.documentElement.clientWidth;
      const wide = [...doc.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > width + 0.5)
        .map((e) => e.tagName.toLowerCase() + '.' + e.className + ' ' + (e.textContent || '').slice(0, 60));
      results.push({ file: frame.getAttribute('src'), scrollWidth: doc.documentElement.scrollWidth, clientWidth: width, wide: wide.slice(0, 5) });
      if (++loaded === ${pages.length}) document.body.setAttribute('data-results', JSON.stringify(results));
    });`;
  const wrapper = join(dir, 'wrapper.html');
  writeFileSync(wrapper, `<!DOCTYPE html><html><body>${frames.join('')}<script>${measure}</script></body></html>`);
  const dom = execFileSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--hide-scrollbars',
      '--allow-file-access-from-files',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--window-size=1200,900',
      '--virtual-time-budget=10000',
      '--dump-dom',
      `file://${wrapper}`,
    ],
    { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  rmSync(dir, { recursive: true, force: true });
  const attribute = /data-results="([^"]*)"/.exec(dom)?.[1];
  if (!attribute) throw new Error('the pages did not load in chromium');
  return JSON.parse(attribute.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as ReturnType<typeof measureAt390>;
}

describe('HTML report on a phone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmsa-html-'));
  const pages: string[] = [];

  beforeAll(async () => {
    // Real reports: the bundled example's facts, and a check of saved docker inspect and CCG event files.
    const runs = [
      ['analyze', join(ROOT, 'examples/facts/containerhost02.json')],
      [
        'check',
        '--inspect',
        join(ROOT, 'test/fixtures/host/tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'),
        '--events',
        join(ROOT, 'test/fixtures/events/windows-containers-issues.get-winevent.json'),
        '--credspec',
        join(ROOT, 'examples/credspecs/contoso_webapp01_ccg.json'),
      ],
    ];
    for (const [i, args] of runs.entries()) {
      const file = join(dir, `report-${i}.html`);
      await cli(...args, '--format', 'html', '-o', file);
      pages.push(file);
    }
    const synthetic = join(dir, 'synthetic.html');
    writeFileSync(synthetic, renderHtml(report, new Date('2026-01-01T00:00:00Z')));
    pages.push(synthetic);
  }, 60_000);

  it('does not scroll sideways at 390 px, every section opened', () => {
    for (const page of measureAt390(pages)) {
      expect(page.clientWidth, page.file).toBe(390);
      expect({ file: page.file, scrollWidth: page.scrollWidth, wide: page.wide }).toEqual({
        file: page.file,
        scrollWidth: 390,
        wide: [],
      });
    }
  }, 90_000);

  it('names the domain, the gMSA and the host in its header and title', async () => {
    const file = join(dir, 'scope.html');
    await cli('analyze', join(ROOT, 'examples/facts/containerhost02.json'), '--format', 'html', '-o', file);
    const html = readFileSync(file, 'utf8');
    const header = /<header>([\s\S]*?)<\/header>/.exec(html)?.[1] ?? '';
    expect(header).toContain(
      '<dl class="scope"><dt>Domain</dt><dd>contoso.com</dd><dt>gMSA</dt><dd>webapp01</dd><dt>Host</dt><dd>CONTAINERHOST02</dd></dl>',
    );
    expect(html).toContain('<title>gmsa-doctor analyze: webapp01 on CONTAINERHOST02, contoso.com</title>');
  });

  it('says what it was not told rather than leaving it out', () => {
    const html = renderHtml({ ...report, scope: { gmsas: [] } });
    expect(html).toContain(
      '<dt>Domain</dt><dd>not known (--domain D)</dd><dt>gMSA</dt><dd>none named (--gmsa NAME)</dd>',
    );
  });
});
