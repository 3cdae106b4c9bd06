import { defineCheck } from '../../engine/check.js';
import { toolMissing } from '../../protocol/parsers/capture.js';

const SYSTEM_USERS = /^(nt authority\\(system|network service)|localsystem|networkservice|system|network service)$/i;

export default defineCheck({
  meta: {
    id: 'container/app-identity',
    title: 'The app runs as Network Service or Local System',
    section: 'container',
    link: 'container',
    looksAt: 'Config.User of the container and `whoami` inside it.',
    why: "The container's users do not change with a gMSA: only Local System and Network Service use the gMSA on the network; whoami never shows the gMSA name.",
    remediation: 'Run the app (IIS app pool, service) as Network Service or Local System.',
  },
  subject: 'container',
  needs: ['container.inspect'],
  uses: ['container.exec'],
  run(facts) {
    const c = facts.get('container.inspect');
    const whoami = facts.optional('container.exec')?.whoami;
    const seen = whoami && !toolMissing(whoami) ? whoami.stdout.trim().split('\n')[0]?.trim() : undefined;
    const tip = `${seen ? `whoami shows ${seen}` : 'whoami shows a local user (e.g. ContainerAdministrator)'}: that is expected, the gMSA never appears as the signed-in user; the computer account (used by Local System and Network Service) carries it on the network.`;
    const user = c.user?.trim();
    if (user && !SYSTEM_USERS.test(user)) {
      return [
        {
          severity: 'warning',
          subject: c.name,
          message: `Container ${c.name} runs its process as ${user}: only Local System and Network Service use the gMSA identity on the network. ${tip}`,
          evidence: { configUser: user, ...(seen ? { whoami: seen } : {}) },
          remediation: {
            text: 'Run the app as Network Service or Local System (e.g. the IIS app pool identity).',
            commands: [
              `docker run --user "NT AUTHORITY\\NETWORK SERVICE" --security-opt "${c.credentialSpecOption ?? ''}" ${c.image ?? '<image>'}`,
            ],
          },
        },
      ];
    }
    return [
      {
        severity: 'info',
        subject: c.name,
        message: `Container ${c.name} runs as the image's default user. Make sure the app itself runs as Network Service or Local System. ${tip}`,
        evidence: { configUser: user ?? '', ...(seen ? { whoami: seen } : {}) },
      },
    ];
  },
});
