// A fake cluster for live explain: the shared fake API server (test/helpers/fake-apiserver.ts)
// serving /openapi/v3 documents (by default the generated offline ones, so live and offline
// output must match) and an OpenShift-style custom group the offline schema does not have.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Json } from '../../src/explain/render.js';
import { kubeconfigYAML, startFakeApiServer, type FakeApiServer, type FakeApiServerOptions } from '../helpers/fake-apiserver.js';
import { generatedDoc } from './schema.js';

const NETWORK = 'com.github.openshift.api.config.v1.Network';
const NETWORK_SPEC = 'com.github.openshift.api.config.v1.NetworkSpec';
const NETWORK_GVK = { group: 'config.openshift.io', kind: 'Network', version: 'v1' };

/** A small config.openshift.io/v1 document, shaped as OpenShift serves its Network kind. */
export const networkDoc: Json = {
  openapi: '3.0.0',
  info: { title: 'Kubernetes', version: 'v1.32.4' },
  paths: {
    '/apis/config.openshift.io/v1/networks': { get: { 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': NETWORK_GVK } },
    '/apis/config.openshift.io/v1/networks/{name}': { get: { 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': NETWORK_GVK } },
  },
  components: {
    schemas: {
      [NETWORK]: {
        description:
          'Network holds cluster-wide information about Network. The canonical name is `cluster`. It is used to configure the desired network configuration, such as: IP address pools for services/pod IPs, network plugin, etc. Please view network.spec for an explanation on what applies when configuring this resource.',
        type: 'object',
        required: ['spec'],
        properties: {
          apiVersion: { description: 'APIVersion defines the versioned schema of this representation of an object.', type: 'string' },
          kind: { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string' },
          spec: { allOf: [{ $ref: `#/components/schemas/${NETWORK_SPEC}` }], description: 'spec holds user settable values for configuration. As a general rule, this SHOULD NOT be read directly. Instead, you should consume the NetworkStatus, as it indicates the currently deployed configuration. Currently, most spec fields are immutable after installation. Please view the individual ones for further details on each.' },
        },
        'x-kubernetes-group-version-kind': [NETWORK_GVK],
      },
      [NETWORK_SPEC]: {
        description: 'NetworkSpec is the desired network configuration.',
        type: 'object',
        properties: {
          networkType: { description: 'NetworkType is the plugin that is to be deployed (e.g. OVNKubernetes). This should match a value that the cluster-network-operator understands, or else no networking will be installed.', type: 'string' },
          serviceNetwork: {
            description: 'IP address pool for services. Currently, we only support a single entry here. This field is immutable after installation.',
            type: 'array',
            items: { type: 'string' },
          },
        },
      },
    },
  },
};

export interface FakeCluster {
  server: FakeApiServer;
  kubeconfig: string;
  /** An environment with that kubeconfig (and no other). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the fake server with core, discovery.k8s.io and config.openshift.io documents. */
export async function startFakeCluster(openapi?: Record<string, unknown>, over: FakeApiServerOptions = {}): Promise<FakeCluster> {
  const server = await startFakeApiServer({
    // A Network object makes the server's discovery list config.openshift.io/v1.
    objects: [{ apiVersion: 'config.openshift.io/v1', kind: 'Network', metadata: { name: 'cluster' } }],
    openapi: openapi ?? {
      'api/v1': generatedDoc('api/v1'),
      'apis/discovery.k8s.io/v1': generatedDoc('apis/discovery.k8s.io/v1'),
      'apis/config.openshift.io/v1': networkDoc,
    },
    ...over,
  });
  const dir = mkdtempSync(join(tmpdir(), 'svctrace-explain-live-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYAML({ server: server.url }));
  return {
    server,
    kubeconfig,
    env: { KUBECONFIG: kubeconfig, HOME: dir },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
