// Chain names from FACTS.md (the walkthrough's dumps) and kube-proxy's unit tests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endpointChain, servicePortChain, servicePortName } from '../../src/proxy/names.js';

describe('chain names', () => {
  const cases: Array<[string, string, string | null, string]> = [
    // [service port name, protocol, endpoint or null, chain]
    ['test-services/django-psql-example:web', 'TCP', null, 'KUBE-SVC-GIGN3HAIPPOO23F3'],
    ['test-services/django-psql-example:web', 'TCP', '10.254.4.24:8080', 'KUBE-SEP-7ANA7OTZZO5QKVWN'],
    ['test-services/django-psql-example:web', 'TCP', '10.254.5.61:8080', 'KUBE-SEP-JBBKRG73QF24CZJD'],
    ['test-services/django-psql-example:web', 'TCP', '10.254.5.66:8080', 'KUBE-SEP-XU6QRWQ6NFR3D34U'],
    ['test-nodeport/django-psql-example:', 'TCP', null, 'KUBE-SVC-5YXNK7KOCSOUM3AE'],
    ['test-nodeport/django-psql-example:', 'TCP', '10.254.3.22:8080', 'KUBE-SEP-WBMKBITY6POBVI7J'],
    ['test-nodeport/django-psql-example:', 'TCP', '10.254.4.25:8080', 'KUBE-SEP-ZRETU3UTQ3EXCFUX'],
    ['test-nodeport/django-psql-example:', 'TCP', '10.254.5.71:8080', 'KUBE-SEP-2CQOQG2SNEWYJXXO'],
    ['test-loadbalancer/django-psql-example:', 'TCP', null, 'KUBE-SVC-AD7VE3QSWBRYRSA5'],
    ['ns1/svc1:p80', 'TCP', null, 'KUBE-SVC-XPGD46QRK7WJZT7O'],
    ['ns1/svc1:p80', 'TCP', '10.180.0.1:80', 'KUBE-SEP-SXIVWICOYRO3J4NJ'],
    ['ns1/svc1:p80', 'TCP', '[fd00:10::1]:80', 'KUBE-SEP-RT5VHSJR44ZNF7G5'],
    ['kube-system/kube-dns:dns', 'UDP', null, 'KUBE-SVC-TCOU7JCQXEZGVUNU'],
    ['default/kubernetes:https', 'TCP', null, 'KUBE-SVC-NPX46M4PTMTKRN6Y'],
  ];
  for (const [name, proto, ep, chain] of cases) {
    it(`${name} ${proto}${ep ? ' ' + ep : ''} -> ${chain}`, () => {
      const got = ep ? endpointChain(name, proto, ep) : servicePortChain('SVC', name, proto);
      assert.equal(got, chain);
    });
  }

  it('writes the colon of an unnamed port only in the old format', () => {
    assert.equal(servicePortName('ns', 'web', '', true), 'ns/web:');
    assert.equal(servicePortName('ns', 'web', '', false), 'ns/web');
    assert.equal(servicePortName('ns', 'web', 'http', false), 'ns/web:http');
  });
});
