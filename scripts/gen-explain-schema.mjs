// Build step: the offline schema `svctrace explain` reads when it has no cluster.
//
// No npm package ships the Kubernetes OpenAPI documents with their descriptions, so this
// rebuilds them from what the packages do ship:
//   - kubernetes-models (+ @kubernetes-models/apimachinery): the .d.ts files, read with the
//     TypeScript compiler API, give every type, field, description (JSDoc), enum (string
//     literal unions, with the "Possible enum values" text kept) and required field; their
//     compiled validators (_schemas/*.js) are probed for integer/number and formats;
//   - @kubernetes/client-node: its generated API classes give each resource's REST paths,
//     hence plural names, scope and the kind served there.
// Output (in dist/explain/, or the directory given as the first argument), in the shapes a
// live cluster serves, so one renderer handles both:
//   openapi-v3.json                   the /openapi/v3 index: {paths: {"api/v1": {serverRelativeURL, file}}}
//                                     ("file", svctrace's addition, names the document's file)
//   api__v1_openapi.json, apis__<group>__<version>_openapi.json
//                                     one /openapi/v3/<group-version> document each
//   discovery.json                    {resourceLists: [APIResourceList...]} in discovery order
// Nothing generated is committed: the text follows whatever kubernetes-models is installed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const ts = require('typescript');

// ---- Tables ----------------------------------------------------------------------------

/** OpenAPI definition prefixes of the groups whose package is not io.k8s.api.<first label>. */
const GROUP_PACKAGES = {
  '': 'io.k8s.api.core',
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
  'apiregistration.k8s.io': 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
  'internal.apiserver.k8s.io': 'io.k8s.api.apiserverinternal',
};

/** The short names kube-apiserver puts in discovery (kubectl expands them), by group. */
const SHORT_NAMES = {
  '': {
    componentstatuses: ['cs'],
    configmaps: ['cm'],
    endpoints: ['ep'],
    events: ['ev'],
    limitranges: ['limits'],
    namespaces: ['ns'],
    nodes: ['no'],
    persistentvolumeclaims: ['pvc'],
    persistentvolumes: ['pv'],
    pods: ['po'],
    replicationcontrollers: ['rc'],
    resourcequotas: ['quota'],
    serviceaccounts: ['sa'],
    services: ['svc'],
  },
  'apiextensions.k8s.io': { customresourcedefinitions: ['crd', 'crds'] },
  apps: { daemonsets: ['ds'], deployments: ['deploy'], replicasets: ['rs'], statefulsets: ['sts'] },
  autoscaling: { horizontalpodautoscalers: ['hpa'] },
  batch: { cronjobs: ['cj'] },
  'certificates.k8s.io': { certificatesigningrequests: ['csr'] },
  'events.k8s.io': { events: ['ev'] },
  'networking.k8s.io': { ingresses: ['ing'], networkpolicies: ['netpol'] },
  policy: { poddisruptionbudgets: ['pdb'] },
  'scheduling.k8s.io': { priorityclasses: ['pc'] },
  'storage.k8s.io': { storageclasses: ['sc'] },
};

/** The two apimachinery unions, as kube-openapi publishes them in v3 (OpenAPIV3OneOfTypes). */
const ONE_OF = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { oneOf: ['integer', 'string'], format: 'int-or-string' },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: ['string', 'number'] },
};

/** client-node method verbs: the HTTP method, kubectl's action and the discovery verb. */
const VERBS = {
  create: ['post', 'post', 'create'],
  read: ['get', 'get', 'get'],
  list: ['get', 'list', 'list'],
  replace: ['put', 'put', 'update'],
  patch: ['patch', 'patch', 'patch'],
  delete: ['delete', 'delete', 'delete'],
  deleteCollection: ['delete', 'deletecollection', 'deletecollection'],
};

// ---- Small helpers ---------------------------------------------------------------------

/** The installed package's folder (package.json "exports" hide package.json itself). */
function pkgDir(name) {
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`gen-explain-schema: ${name} is not installed (npm install)`);
  }
}
const camel = (dotted) => dotted.split(/[.-]/).map((s) => s[0].toUpperCase() + s.slice(1)).join('');
const warnings = [];
const warn = (msg) => warnings.push(msg);

function walk(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== '_schemas' && name !== 'node_modules' && name !== 'dist') walk(path, out);
    } else if (name.endsWith('.d.ts') && name !== 'index.d.ts') out.push(path);
  }
  return out;
}

/** Kubernetes version order: GA before beta before alpha, higher numbers first. */
function versionRank(v) {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return [3, 0, 0, v];
  return [m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0, -Number(m[1]), -Number(m[3] ?? 0), v];
}
function compareVersions(a, b) {
  const [x, y] = [versionRank(a), versionRank(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x[3] < y[3] ? -1 : x[3] > y[3] ? 1 : 0;
}

// ---- Descriptions ----------------------------------------------------------------------

/** The text of the JSDoc block right before a node, unescaped as the generator escaped it. */
function jsdoc(node, text) {
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const block = ranges.filter((r) => text.startsWith('/**', r.pos)).pop();
  if (!block) return undefined;
  const lines = text
    .slice(block.pos + 3, block.end - 2)
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''));
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  // kubernetes-models escapes "\", "*" and "/" inside comments ("\*\/" would end them).
  const out = lines.join('\n').replace(/\\([\\*/])/g, '$1');
  return out === '' ? undefined : out;
}

// ---- Reading the .d.ts files -----------------------------------------------------------

/**
 * Every type in the packages: its OpenAPI definition name, the group-version it belongs to,
 * and its declaration. `byAlias` maps the exported alias (IIoK8sApiCoreV1Service) to it.
 */
function readTypes() {
  const types = [];
  const modelsDir = pkgDir('kubernetes-models');
  const machineryDir = pkgDir('@kubernetes-models/apimachinery');
  const files = [
    ...walk(modelsDir).map((f) => ({ f, base: modelsDir, pkg: 'models' })),
    ...walk(machineryDir).map((f) => ({ f, base: machineryDir, pkg: 'apimachinery' })),
  ];
  for (const { f, base, pkg } of files) {
    const parts = relative(base, f).split(sep);
    const name = parts.pop().replace(/\.d\.ts$/, '');
    let prefix;
    let group;
    let version;
    if (pkg === 'apimachinery') {
      prefix = ['io.k8s.apimachinery.pkg', ...parts].join('.');
    } else {
      [group, version] = parts.length === 1 ? ['', parts[0]] : parts;
      prefix = `${GROUP_PACKAGES[group] ?? `io.k8s.api.${group.split('.')[0]}`}.${version}`;
    }
    const text = readFileSync(f, 'utf8');
    const source = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
    const definition = `${prefix}.${name}`;
    let decl;
    let alias;
    for (const st of source.statements) {
      if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name.text === `I${name}`) decl ??= st;
      if (ts.isExportDeclaration(st) && st.isTypeOnly && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) if (el.propertyName?.text === `I${name}`) alias = el.name.text;
      }
    }
    if (!decl || !alias) continue;
    if (alias !== `I${camel(definition)}`) warn(`${definition}: exported as ${alias}, expected I${camel(definition)}`);
    types.push({ definition, alias, localName: `I${name}`, decl, text, group, version, validator: join(base, '_schemas', `${alias.slice(1)}.js`) });
  }
  return { types, byAlias: new Map(types.map((t) => [t.alias, t])) };
}

// ---- Probing the validators for number types and formats ------------------------------

/**
 * Loads the compiled validators with every format made to fail, so a probe value reports
 * the format (and integer-ness) each field is checked against: {path: {type, format}}.
 */
async function makeProber() {
  // The validators import this same module instance, so their formats are the patched ones.
  const { formats } = await import('@kubernetes-models/validate');
  const failing = Object.assign(() => false, { test: () => false });
  for (const k of Object.keys(formats)) formats[k] = { validate: failing, async: false };
  return async function probe(validatorFile, value) {
    let mod;
    try {
      mod = await import(pathToFileURL(validatorFile).href);
    } catch {
      return undefined;
    }
    mod.validate(value);
    const found = {};
    for (const e of mod.validate.errors ?? []) {
      const slot = (found[e.instancePath] ??= {});
      if (e.keyword === 'type') slot.type = e.params.type;
      if (e.keyword === 'format') slot.format = e.params.format;
    }
    return found;
  };
}

// ---- Types to schemas ------------------------------------------------------------------

const isNull = (n) => n.kind === ts.SyntaxKind.LiteralType && n.literal.kind === ts.SyntaxKind.NullKeyword;

/**
 * The schema of a TypeScript type node. Numbers come out as integers with a `probe` marker
 * (filled in from the validators); references to other types as {$ref}.
 */
function typeSchema(node, t, index) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string', probe: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { type: 'integer', probe: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return {};
    case ts.SyntaxKind.LiteralType:
      if (ts.isStringLiteral(node.literal)) return { type: 'string', enum: [node.literal.text] };
      break;
    case ts.SyntaxKind.UnionType: {
      const members = node.types.filter((m) => !isNull(m));
      if (members.length === 1) return typeSchema(members[0], t, index);
      if (members.every((m) => m.kind === ts.SyntaxKind.LiteralType && ts.isStringLiteral(m.literal))) {
        return { type: 'string', enum: members.map((m) => m.literal.text) };
      }
      return { oneOf: members.map((m) => typeSchema(m, t, index)) };
    }
    case ts.SyntaxKind.ArrayType:
      return { type: 'array', items: itemSchema(node.elementType, t, index) };
    case ts.SyntaxKind.TypeLiteral: {
      const sig = node.members.find(ts.isIndexSignatureDeclaration);
      return sig ? { type: 'object', additionalProperties: itemSchema(sig.type, t, index) } : { type: 'object' };
    }
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array' && node.typeArguments?.length === 1) {
        return { type: 'array', items: itemSchema(node.typeArguments[0], t, index) };
      }
      if (name === 'Record' && node.typeArguments?.length === 2) {
        return { type: 'object', additionalProperties: itemSchema(node.typeArguments[1], t, index) };
      }
      const target = name === t.localName ? t : index.byAlias.get(name);
      if (target) return { $ref: `#/components/schemas/${target.definition}` };
      break;
    }
  }
  warn(`${t.definition}: unsupported type ${node.getText()}`);
  return {};
}

/** Array items and map values: references are wrapped in allOf, as the API server does. */
function itemSchema(node, t, index) {
  const s = typeSchema(node, t, index);
  return s.$ref ? { allOf: [s] } : s;
}

function propertyName(p) {
  return ts.isStringLiteral(p.name) || ts.isIdentifier(p.name) ? p.name.text : p.name.getText();
}

/** The definition of one type: object schemas for interfaces, primitives for aliases. */
function definitionSchema(t, index, typeMeta) {
  const description = jsdoc(t.decl, t.text);
  if (ts.isTypeAliasDeclaration(t.decl)) {
    const known = ONE_OF[t.definition];
    const base = known
      ? { ...(known.format ? { format: known.format } : {}), oneOf: known.oneOf.map((type) => ({ type })) }
      : typeSchema(t.decl.type, t, index);
    return { ...(description ? { description } : {}), ...base };
  }
  const properties = {};
  const required = [];
  const gvk = {};
  const extendsTypeMeta = (t.decl.heritageClauses ?? []).some((h) => h.types.some((x) => x.expression.getText() === 'TypeMeta'));
  for (const member of t.decl.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const name = propertyName(member);
    let schema = typeSchema(member.type, t, index);
    const isTypeMeta = extendsTypeMeta && (name === 'apiVersion' || name === 'kind') && schema.enum?.length === 1;
    if (isTypeMeta) {
      // Literal apiVersion/kind come from TypeMeta: they are the GVK, not required fields.
      if (name === 'kind') gvk.kind = schema.enum[0];
      else [gvk.group, gvk.version] = schema.enum[0].includes('/') ? schema.enum[0].split('/') : ['', schema.enum[0]];
      schema = { type: 'string' };
    } else if (!member.questionToken) {
      required.push(name);
    }
    const text = jsdoc(member, t.text) ?? (isTypeMeta ? typeMeta[name] : undefined);
    // A reference with a description beside it is wrapped in allOf, as the API server does.
    if (schema.$ref) schema = { allOf: [schema] };
    properties[name] = { ...schema, ...(text ? { description: text } : {}) };
  }
  const out = { ...(description ? { description } : {}) };
  if (Object.keys(properties).length) out.properties = properties;
  if (required.length) out.required = required;
  out.type = 'object';
  if (gvk.kind) out['x-kubernetes-group-version-kind'] = [{ group: gvk.group, kind: gvk.kind, version: gvk.version }];
  return out;
}

/** Probe values for every number or string in a schema, keyed by JSON pointer. */
function probes(schema, path, out) {
  if (schema.probe) out.push({ path, schema });
  for (const [k, v] of Object.entries(schema.properties ?? {})) probes(v, `${path}/${k}`, out);
  if (schema.items) probes(schema.items, `${path}/0`, out);
  if (schema.additionalProperties) probes(schema.additionalProperties, `${path}/k`, out);
  for (const v of schema.oneOf ?? []) probes(v, path, out);
  return out;
}

/** Fills in integer/number and formats from the validator of the type. */
async function refineTypes(t, schema, probe) {
  const targets = probes(schema, '', []);
  if (targets.length === 0) return;
  for (const { path, schema: s } of targets) {
    const keys = path.split('/').slice(1);
    const build = (value) => {
      let v = value;
      for (let i = keys.length - 1; i >= 0; i--) v = keys[i] === '0' && i > 0 && isArrayAt(schema, keys, i) ? [v] : { [keys[i]]: v };
      return v;
    };
    const number = s.probe === 'number';
    const found = await probe(t.validator, build(number ? 1 : 'x'));
    if (found === undefined) break;
    const format = found[path]?.format;
    if (number) {
      const fraction = await probe(t.validator, build(1.5));
      s.type = fraction?.[path]?.type === 'integer' ? 'integer' : 'number';
    }
    if (format && format !== 'string') s.format = format;
  }
}

/** True when the key at position i of a probe path is an array index in the schema. */
function isArrayAt(schema, keys, i) {
  let s = schema;
  for (let j = 0; j < i; j++) {
    const k = keys[j];
    if (s.properties?.[k]) s = s.properties[k];
    else if (k === '0' && s.items) s = s.items;
    else if (k === 'k' && s.additionalProperties) s = s.additionalProperties;
    else return false;
  }
  return Boolean(s.items);
}

function stripProbes(schema) {
  if (!schema || typeof schema !== 'object') return;
  delete schema.probe;
  for (const v of Object.values(schema)) if (typeof v === 'object') stripProbes(v);
}

// ---- Resources (plural, scope, kind) from client-node's API classes --------------------

function readResources() {
  const dir = join(pkgDir('@kubernetes/client-node'), 'dist/gen/apis');
  const found = new Map(); // "group/version plural" -> resource
  const method = /async (create|read|list|replace|patch|deleteCollection|delete)(Namespaced)?([A-Z]\w*?)(ForAllNamespaces)?\([^)]*\) \{[\s\S]*?const localVarPath = '([^']+)'/g;
  const pathShape = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(\/namespaces\/\{namespace\})?\/([a-z0-9]+)(\/\{name\})?$/;
  for (const file of readdirSync(dir).filter((f) => /Api\.js$/.test(f)).sort()) {
    const js = readFileSync(join(dir, file), 'utf8');
    for (const m of js.matchAll(method)) {
      const [, verb, , kind, , path] = m;
      const p = pathShape.exec(path);
      if (!p) continue;
      const [group, version] = p[1] ? ['', 'v1'] : [p[2], p[3]];
      const key = `${group}/${version} ${p[5]}`;
      const r = found.get(key) ?? { group, version, plural: p[5], kinds: new Set(), namespaced: false, ops: [] };
      r.kinds.add(kind);
      if (p[4]) r.namespaced = true;
      r.ops.push({ verb, path });
      found.set(key, r);
    }
  }
  return [...found.values()];
}

// ---- Documents -------------------------------------------------------------------------

function closure(start, defs) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name) || !defs.has(name)) return;
    seen.add(name);
    JSON.stringify(defs.get(name), (k, v) => {
      if (k === '$ref' && typeof v === 'string') visit(v.slice('#/components/schemas/'.length));
      return v;
    });
  };
  start.forEach(visit);
  return [...seen].sort();
}

async function main() {
  const outDir = process.argv[2] ?? join(root, 'dist/explain');
  const index = readTypes();
  const probe = await makeProber();
  const typeMetaText = readFileSync(join(pkgDir('@kubernetes-models/base'), 'dist/meta.d.ts'), 'utf8');
  const typeMetaSource = ts.createSourceFile('meta.d.ts', typeMetaText, ts.ScriptTarget.Latest, true);
  const typeMeta = {};
  for (const st of typeMetaSource.statements) {
    if (ts.isInterfaceDeclaration(st) && st.name.text === 'TypeMeta') {
      for (const m of st.members) if (ts.isPropertySignature(m)) typeMeta[propertyName(m)] = jsdoc(m, typeMetaText);
    }
  }

  const defs = new Map();
  for (const t of index.types) {
    const schema = definitionSchema(t, index, typeMeta);
    await refineTypes(t, schema, probe);
    stripProbes(schema);
    defs.set(t.definition, schema);
  }

  // Kinds by group-version, to check the kind client-node's method names imply.
  const kinds = new Map();
  for (const t of index.types) {
    const gvk = defs.get(t.definition)['x-kubernetes-group-version-kind']?.[0];
    if (gvk) kinds.set(`${gvk.group}/${gvk.version} ${gvk.kind}`, t.definition);
  }

  const byGv = new Map();
  for (const r of readResources()) {
    const kind = [...r.kinds].find((k) => kinds.has(`${r.group}/${r.version} ${k}`));
    if (!kind) continue; // a group-version kubernetes-models does not describe
    const gv = `${r.group}/${r.version}`;
    const entry = byGv.get(gv) ?? { group: r.group, version: r.version, resources: [] };
    entry.resources.push({ ...r, kind, definition: kinds.get(`${gv} ${kind}`) });
    byGv.set(gv, entry);
  }

  mkdirSync(outDir, { recursive: true });
  const indexPaths = {};
  const lists = [];
  const order = [...byGv.values()].sort((a, b) => (a.group === b.group ? compareVersions(a.version, b.version) : a.group === '' ? -1 : b.group === '' ? 1 : a.group < b.group ? -1 : 1));
  for (const gv of order) {
    const key = gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
    const paths = {};
    const start = [];
    for (const r of gv.resources.sort((a, b) => (a.plural < b.plural ? -1 : 1))) {
      start.push(r.definition, `${r.definition}List`);
      const gvk = { group: gv.group, kind: r.kind, version: gv.version };
      for (const op of r.ops) {
        const [http, action] = VERBS[op.verb];
        (paths[op.path] ??= {})[http] ??= { 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk };
      }
    }
    const schemas = Object.fromEntries(closure(start, defs).map((n) => [n, defs.get(n)]));
    const doc = {
      components: { schemas },
      info: { title: 'Kubernetes', version: 'kubernetes-models' },
      openapi: '3.0.0',
      paths: Object.fromEntries(Object.keys(paths).sort().map((p) => [p, paths[p]])),
    };
    const body = JSON.stringify(doc);
    const file = `${key.replaceAll('/', '__')}_openapi.json`; // as upstream names them
    writeFileSync(join(outDir, file), body);
    const hash = createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
    indexPaths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}`, file };
    lists.push({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: gv.group ? `${gv.group}/${gv.version}` : gv.version,
      resources: gv.resources.map((r) => ({
        name: r.plural,
        singularName: r.kind.toLowerCase(),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: [...new Set(r.ops.flatMap((o) => (o.verb === 'list' ? ['list', 'watch'] : [VERBS[o.verb][2]])))].sort(),
        ...(SHORT_NAMES[gv.group]?.[r.plural] ? { shortNames: SHORT_NAMES[gv.group][r.plural] } : {}),
      })),
    });
  }
  writeFileSync(join(outDir, 'openapi-v3.json'), JSON.stringify({ paths: indexPaths }));
  writeFileSync(join(outDir, 'discovery.json'), JSON.stringify({ resourceLists: lists }));
  for (const w of warnings) process.stderr.write(`gen-explain-schema: warning: ${w}\n`);
  process.stdout.write(`gen-explain-schema: ${lists.length} group-versions, ${defs.size} types -> ${relative(root, outDir) || outDir}\n`);
}

await main();
