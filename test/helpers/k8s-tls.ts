import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate and its key, PEM. */
export interface KeyPair {
  cert: string;
  key: string;
}

/**
 * A cluster CA made at test time with openssl (node:crypto cannot sign certificates), as kubeadm lays it out: a
 * self-signed `kubernetes` CA, the API server's serving certificate for localhost and the in-cluster names, and
 * client certificates whose CN is the user and O the groups (how kube-apiserver reads them).
 */
export class TestPki {
  readonly ca: KeyPair;
  readonly server: KeyPair;
  private serial = 0;

  constructor(
    readonly dir: string,
    caName = 'kubernetes',
    private readonly caDays = 2,
  ) {
    this.ca = this.selfSigned(caName);
    this.server = this.issue('kube-apiserver', {
      names: [
        'DNS:localhost',
        'DNS:kubernetes',
        'DNS:kubernetes.default',
        'DNS:kubernetes.default.svc',
        'IP:127.0.0.1',
        'IP:::1',
      ],
      usage: 'serverAuth',
    });
  }

  /** A client certificate: CN the user name, one O per group. */
  clientCertificate(user: string, groups: readonly string[] = []): KeyPair {
    return this.issue(user, { organizations: groups, usage: 'clientAuth' });
  }

  issue(
    commonName: string,
    options: { names?: string[]; organizations?: readonly string[]; usage: 'serverAuth' | 'clientAuth'; days?: number },
  ): KeyPair {
    const name = `cert-${++this.serial}`;
    const key = join(this.dir, `${name}.key`);
    const csr = join(this.dir, `${name}.csr`);
    const cert = join(this.dir, `${name}.crt`);
    const ext = join(this.dir, `${name}.ext`);
    const subject = `/CN=${commonName}${(options.organizations ?? []).map((o) => `/O=${o}`).join('')}`;
    openssl([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      subject,
    ]);
    const extensions = [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      `extendedKeyUsage=${options.usage}`,
    ];
    if (options.names?.length) extensions.push(`subjectAltName=${options.names.join(',')}`);
    writeFileSync(ext, `${extensions.join('\n')}\n`);
    const caFiles = this.files('ca');
    openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      caFiles.cert,
      '-CAkey',
      caFiles.key,
      '-set_serial',
      String(1000 + this.serial),
      '-days',
      String(options.days ?? 2),
      '-out',
      cert,
      '-extfile',
      ext,
    ]);
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  }

  private selfSigned(commonName: string): KeyPair {
    const { cert, key } = this.files('ca');
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      String(this.caDays),
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
    ]);
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  }

  private files(name: string): { cert: string; key: string } {
    return { cert: join(this.dir, `${name}.crt`), key: join(this.dir, `${name}.key`) };
  }
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
