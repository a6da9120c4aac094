import selfsigned from 'selfsigned';
import type { TlsMaterial } from './types.js';

/**
 * A private CA and a serving certificate it signed, like the per-cluster CA of a real ACK API
 * server. @kubernetes/client-node refuses plain http unless a kubeconfig skips TLS verification,
 * and real ACK kubeconfigs never do, so the emulator serves HTTPS and the kubeconfigs carry this
 * CA as certificate-authority-data. One CA serves every emulated cluster (real ACK has one per
 * cluster); the client cannot tell.
 *
 * EC P-256 keys: generated in milliseconds, where RSA would slow every fresh test start.
 */

const VALID_DAYS = 3650;

const generateTlsMaterial = async (now: Date = new Date()): Promise<TlsMaterial> => {
  // Certificates follow the wall clock, not the injected one: TLS verification in the client
  // compares against real time, whatever time the tests pretend it is.
  const notBeforeDate = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const notAfterDate = new Date(now.getTime() + VALID_DAYS * 24 * 60 * 60 * 1000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'kube-emulator-ca' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      {
        name: 'keyUsage',
        keyCertSign: true,
        cRLSign: true,
        digitalSignature: true,
        critical: true,
      },
    ],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: 'kube-apiserver' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return {
    caCert: ca.cert,
    caKey: ca.private,
    serverCert: server.cert,
    serverKey: server.private,
  };
};

export { generateTlsMaterial };
