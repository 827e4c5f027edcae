// A Pyramid server with a certificate from a private CA, inside a real VS Code: refused until the CA
// is added with pyramid.caCertificates, and a wrong path there is named.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { makeTestCertificates } from '../simulator/certificates';
import { signInTo, useSimulator, waitFor } from './helpers';

describe('private CA', function () {
  this.timeout(30_000);
  const certificates = makeTestCertificates();
  const suite = useSimulator({ simulator: { tls: { key: certificates.key, cert: certificates.cert } }, settings: { caCertificates: [] }, signIn: false });
  const { dialogs } = suite;
  const errors = () => dialogs.messages.filter((m) => m.severity === 'error').map((m) => m.text);

  it('refuses the server while its CA is unknown, and says which setting fixes it', async () => {
    await signInTo(suite.sim, dialogs);
    assert.match(errors()[0] ?? '', /^Sign-in failed: The TLS certificate of 127\.0\.0\.1 is not trusted \(.+\)\. .*add that CA's PEM file to pyramid\.caCertificates\.$/);
    assert.equal(suite.sim.count(), 0);
  });

  it('names a CA file that cannot be read', async () => {
    await vscode.workspace.getConfiguration('pyramid').update('caCertificates', ['/nonexistent/ca.pem'], vscode.ConfigurationTarget.Global);
    await signInTo(suite.sim, dialogs);
    assert.deepEqual(errors(), ['Sign-in failed: Cannot read the CA certificate file "/nonexistent/ca.pem" from pyramid.caCertificates (ENOENT).']);
  });

  it('works once the CA is added', async () => {
    await vscode.workspace.getConfiguration('pyramid').update('caCertificates', [certificates.caFile], vscode.ConfigurationTarget.Global);
    await signInTo(suite.sim, dialogs);
    assert.deepEqual(errors(), []);
    await waitFor('the schedules over https', async () => (await suite.api.tree.getChildren()).some((node) => node.label === 'Data flows'));
  });
});
