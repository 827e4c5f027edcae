// Test certificates made on the spot with openssl: a private CA and a server certificate it signed
// for 127.0.0.1, as an organisation's internal Pyramid server would have.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestCertificates {
  /** The private CA's certificate (PEM): what a user adds to pyramid.caCertificates. */
  caCert: string;
  /** Where caCert was written. */
  caFile: string;
  /** The server's key and certificate (PEM), signed by the CA, valid for 127.0.0.1 and localhost. */
  key: string;
  cert: string;
}

export function makeTestCertificates(): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyramid-tls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Pyramid Test Root CA',
    '-keyout', file('ca.key'), '-out', file('ca.pem'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr'));
  fs.writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '2', '-extfile', file('san.ext'), '-out', file('server.pem'));
  return {
    caCert: fs.readFileSync(file('ca.pem'), 'utf8'),
    caFile: file('ca.pem'),
    key: fs.readFileSync(file('server.key'), 'utf8'),
    cert: fs.readFileSync(file('server.pem'), 'utf8'),
  };
}
