// TYPE[.field.path] resolution as kubectl explain does it: RESTMapper names (short names,
// plural, singular, kind in any case), "resource.group" prefixes, --api-version, and the
// JSONPath parse with its errors. Expectations are kubectl v1.32.4's answers to the same
// arguments against a fake API server with the same discovery (and kubectl's source:
// pkg/explain/explain.go, client-go restmapper/shortcut.go, meta/restmapper.go).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { parsePath } from '../../src/explain/jsonpath.js';
import { parseGroupVersion, resolveTarget, resourcesFor, type ApiResourceList } from '../../src/explain/resources.js';
import { schemaDir } from './schema.js';

const lists = (): ApiResourceList[] => JSON.parse(readFileSync(join(schemaDir(), 'discovery.json'), 'utf8')).resourceLists;

function target(input: string, apiVersion?: string): string {
  const t = resolveTarget(input, lists(), apiVersion);
  return `${t.gvr.group}/${t.gvr.version} ${t.gvr.resource} [${t.fieldPath.join(',')}]`;
}

function failure(input: string, apiVersion?: string): string {
  try {
    resolveTarget(input, lists(), apiVersion);
  } catch (err) {
    assert.ok(err instanceof UsageError, String(err));
    return err.message;
  }
  assert.fail(`${input} resolved`);
}

describe('resource names', () => {
  // Columns: argument, group/version resource [field path].
  const cases: [string, string][] = [
    ['service', '/v1 services []'],
    ['services', '/v1 services []'],
    ['svc', '/v1 services []'],
    ['Service', '/v1 services []'],
    ['ep', '/v1 endpoints []'],
    ['endpoints', '/v1 endpoints []'],
    ['po', '/v1 pods []'],
    ['pod', '/v1 pods []'],
    ['no', '/v1 nodes []'],
    ['ns', '/v1 namespaces []'],
    ['endpointslices', 'discovery.k8s.io/v1 endpointslices []'],
    ['endpointslice', 'discovery.k8s.io/v1 endpointslices []'],
    ['EndpointSlice', 'discovery.k8s.io/v1 endpointslices []'],
    ['deploy', 'apps/v1 deployments []'],
    ['hpa', 'autoscaling/v2 horizontalpodautoscalers []'],
    ['netpol', 'networking.k8s.io/v1 networkpolicies []'],
    // Core wins a name two groups share.
    ['events', '/v1 events []'],
    ['ev', '/v1 events []'],
  ];
  for (const [input, want] of cases) {
    it(`${input} is ${want}`, () => assert.equal(target(input), want));
  }

  it('matches a short name only exactly (kubectl: the server doesn\'t have a resource type "SVC")', () => {
    assert.equal(failure('SVC'), 'the server doesn\'t have a resource type "SVC"');
  });

  it('names an unknown type in kubectl\'s words, keeping its case', () => {
    assert.equal(failure('FOO.spec'), 'the server doesn\'t have a resource type "FOO"');
  });

  it('warns, as kubectl does, when a short name also means a lower-priority resource', () => {
    const warnings: string[] = [];
    resourcesFor('ev', lists(), (w) => warnings.push(w));
    assert.deepEqual(warnings, ['Warning: short name "ev" could also match lower priority resource events.events.k8s.io']);
    warnings.length = 0;
    resourcesFor('svc', lists(), (w) => warnings.push(w));
    assert.deepEqual(warnings, []);
  });

  it('lists every group that has the resource, core first', () => {
    assert.deepEqual(
      resourcesFor('events', lists()).map((g) => g.group),
      ['', 'events.k8s.io'],
    );
  });
});

describe('field paths', () => {
  const cases: [string, string][] = [
    ['service.spec.type', '/v1 services [spec,type]'],
    ['svc.spec.ports.targetPort', '/v1 services [spec,ports,targetPort]'],
    ['Services.spec', '/v1 services [spec]'],
    // The walkthrough types a trailing dot: kubectl ignores one.
    ['service.spec.type.', '/v1 services [spec,type]'],
    ['svc.', '/v1 services []'],
    // "resource.group" picks the group; the rest is the field path.
    ['endpointslices.discovery.k8s.io', 'discovery.k8s.io/v1 endpointslices []'],
    ['endpointslices.discovery.k8s.io.ports', 'discovery.k8s.io/v1 endpointslices [ports]'],
    // kubectl quirk: core "events" already prefixes "events.events.k8s.io...".
    ['events.events.k8s.io.note', '/v1 events [events,k8s,io,note]'],
    ['events.note', '/v1 events [note]'],
    // Only the plural prefixes: the singular with a group is a field path (kubectl: field "io" does not exist).
    ['endpointslice.discovery.k8s.io', 'discovery.k8s.io/v1 endpointslices [discovery,k8s,io]'],
  ];
  for (const [input, want] of cases) {
    it(`${input} is ${want}`, () => assert.equal(target(input), want));
  }

  it('rejects a recursive descent (kubectl: invalid jsonpath syntax, first node must be field node)', () => {
    assert.equal(failure('service..spec'), 'invalid jsonpath syntax, first node must be field node');
  });

  it('rejects an array index in the field path', () => {
    assert.equal(failure('svc.spec.ports[0]'), 'invalid jsonpath syntax, first node must be field node');
  });

  it('rejects a wildcard field', () => {
    assert.equal(failure('svc.spec.*'), 'invalid jsonpath syntax, first node must be field node');
  });
});

describe('--api-version', () => {
  it('moves the resource to that group/version', () => {
    assert.equal(target('hpa.spec', 'autoscaling/v1'), 'autoscaling/v1 horizontalpodautoscalers [spec]');
  });

  it('moves the group too, even to one without the resource (the template then reports it)', () => {
    assert.equal(target('svc', 'apps/v1'), 'apps/v1 services []');
  });

  it('takes a core version without a slash', () => {
    assert.equal(target('svc.spec', 'v1'), '/v1 services [spec]');
  });

  it('splits the argument on dots without group matching', () => {
    assert.equal(target('endpointslices.discovery.k8s.io', 'discovery.k8s.io/v1'), 'discovery.k8s.io/v1 endpointslices [discovery,k8s,io]');
  });

  it('rejects an array index as kubectl does with --api-version', () => {
    assert.equal(failure('svc.spec[0]', 'v1'), 'invalid jsonpath syntax, all nodes must be field nodes');
  });

  it('rejects a malformed group/version (kubectl: unexpected GroupVersion string: a/b/c)', () => {
    assert.equal(failure('svc', 'a/b/c'), 'unexpected GroupVersion string: a/b/c');
  });

  it('parses group/version strings as schema.ParseGroupVersion', () => {
    assert.deepEqual(parseGroupVersion('v1'), { group: '', version: 'v1' });
    assert.deepEqual(parseGroupVersion('apps/v1'), { group: 'apps', version: 'v1' });
    assert.deepEqual(parseGroupVersion(''), { group: '', version: '' });
  });
});

describe('the JSONPath parse', () => {
  it('splits fields on dots', () => {
    assert.deepEqual(parsePath('a.b.c'), [
      { type: 'field', value: 'a' },
      { type: 'field', value: 'b' },
      { type: 'field', value: 'c' },
    ]);
  });

  it('reads ".." as a recursive descent', () => {
    assert.deepEqual(parsePath('a..b').map((n) => n.type), ['field', 'recursive', 'field']);
  });

  it('keeps an escaped dot inside a field name', () => {
    assert.deepEqual(parsePath('a.b\\.c'), [
      { type: 'field', value: 'a' },
      { type: 'field', value: 'b.c' },
    ]);
  });

  it('names a character it cannot read', () => {
    assert.throws(() => parsePath('a.b,c'), /unrecognized character in action: U\+002C ','/);
  });
});
