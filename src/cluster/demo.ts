// The demo source (--demo): the walkthrough's clusters at their final state, shipped as
// demo-cluster.yaml beside this module (the build copies it to dist/cluster/) and read by the
// same code as -f. docs/sources.md lists what it holds and which values are invented.
import { readFile } from 'node:fs/promises';
import { parseDocuments } from './documents.js';
import { snapshotFromDocuments } from './objects.js';
import type { Snapshot } from './types.js';

export const DEMO_FILE = new URL('./demo-cluster.yaml', import.meta.url);

/** The walkthrough runs its `oc get` in project test-services: that is the demo's current namespace. */
export const DEMO_NAMESPACE = 'test-services';

export async function loadDemo(): Promise<Snapshot> {
  const text = await readFile(DEMO_FILE, 'utf8');
  return snapshotFromDocuments(parseDocuments('demo-cluster.yaml', text), 'demo', {
    namespace: DEMO_NAMESPACE,
    verbose: 0,
    warn: () => {},
  });
}
