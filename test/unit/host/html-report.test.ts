/**
 * The HTML report in a real browser: Debian's chromium, headless. The page must render from the file alone
 * (no network), show the most likely cause, the chain and the findings, and never show a secret.
 * The screenshot is left in test/output/ for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/finding.js';
import { escapeHtml, renderHtml } from '../../../src/report/html.js';
import { mostLikelyCause } from '../../../src/report/likely-cause.js';
import type { Report } from '../../../src/report/model.js';

const OUTPUT = fileURLToPath(new URL('../../output/', import.meta.url));
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
