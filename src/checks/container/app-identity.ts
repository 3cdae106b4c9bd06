import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { ContainerFacts } from '../../facts/docker.js';
import { toolMissing } from '../../protocol/parsers/capture.js';
import { describeBuild, hostBuild } from '../known-issues/_builds.js';
import { linuxSkip, pastedSkip, containerText } from './_container.js';

const SYSTEM_USERS = /^(nt authority\\(system|network ?service)|localsystem|networkservice|system|network service)$/i;
/** Windows Server 2016: `docker run --user "NT AUTHORITY\NETWORK SERVICE"` fails at CreateProcess with 0x52e. */
const SERVER_2016 = 14393;
const USER_0X52E = 'https://github.com/MicrosoftDocs/Virtualization-Documentation/issues/1033';

/** How to make the app run as Network Service on this build: --user where it works, inside the image where not. */
function runAsNetworkService(c: ContainerFacts, build: number | undefined): FindingDraft['remediation'] {
  const inImage = [
    'sc.exe config <service> obj= "NT AUTHORITY\\NetworkService" password= ""',
    'Set-ItemProperty IIS:\\AppPools\\<app pool> -Name processModel.identityType -Value NetworkService',
  ];
  if (build !== undefined && build <= SERVER_2016)
    return {
      text: `On ${describeBuild(build)}, docker run --user "NT AUTHORITY\\NETWORK SERVICE" fails at start with 0x52e, the user name or password is incorrect (${USER_0X52E}): leave Config.User unset and run the app itself as Network Service inside the image (its Windows service, or its IIS app pool).`,
      commands: inImage,
    };
  const option = c.credentialSpecOption ? ` --security-opt "${c.credentialSpecOption}"` : '';
  return {
    text: `Run the app as Network Service or Local System: start the container with --user "NT AUTHORITY\\NETWORK SERVICE"${build === undefined ? " (not on Windows Server 2016, where it fails with 0x52e: there, run the app's service or IIS app pool as Network Service inside the image)" : ''}, or configure the app's service or app pool identity in the image.`,
    commands: [`docker run --user "NT AUTHORITY\\NETWORK SERVICE"${option} ${c.image ?? '<image>'}`, ...inImage],
  };
}

export default defineCheck({
  meta: {
    id: 'container/app-identity',
    title: 'The app runs as Network Service or Local System',
    section: 'container',
    link: 'container',
    looksAt: 'Config.User of the container, `whoami` inside it, and the Windows build (for how to change the user).',
    why: "The container's users do not change with a gMSA: only Local System and Network Service use the gMSA on the network; whoami never shows the gMSA name.",
    remediation:
      'Run the app (IIS app pool, service) as Network Service or Local System; on Windows Server 2016 inside the image, since --user "NT AUTHORITY\\NETWORK SERVICE" fails there with 0x52e.',
  },
  subject: 'container',
  needs: ['container.inspect'],
  uses: ['container.exec', 'host.windows', 'docker.info'],
  run(facts) {
    const c = facts.get('container.inspect');
    const linux = linuxSkip(c);
    if (linux) return linux;
    const pasted = pastedSkip(c, `the user ${c.name} was started as (Config.User)`);
    if (pasted) return pasted;
    const whoami = facts.optional('container.exec')?.whoami;
    const seen = whoami && !toolMissing(whoami) ? whoami.stdout.trim().split('\n')[0]?.trim() : undefined;
    const tip = `${seen ? `whoami shows ${seen}` : 'whoami shows a local user (e.g. ContainerAdministrator)'}: that is expected, the gMSA never appears as the signed-in user; the computer account (used by Local System and Network Service) carries it on the network.`;
    const user = c.user?.trim();
    const evidence = { configUser: user ?? '', ...(seen ? { whoami: seen } : {}) };
    if (!user) {
      return [
        {
          severity: 'info',
          subject: c.name,
          message: `${containerText(c)} sets no user (Config.User is empty), so its process runs as the image's default user. Make sure the app itself runs as Network Service or Local System. ${tip}`,
          evidence,
        },
      ];
    }
    if (SYSTEM_USERS.test(user)) {
      return [
        {
          severity: 'pass',
          subject: c.name,
          message: `${containerText(c)} runs its process as ${user} (Config.User), which uses the gMSA on the network.`,
          evidence,
        },
      ];
    }
    return [
      {
        severity: 'warning',
        subject: c.name,
        message: `${containerText(c)} runs its process as ${user} (Config.User): only Local System and Network Service use the gMSA identity on the network. ${tip}`,
        evidence,
        remediation: runAsNetworkService(c, hostBuild(facts)),
      },
    ];
  },
});
