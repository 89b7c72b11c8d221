// kubectl reads YAML with sigs.k8s.io/yaml, i.e. go-yaml v2: YAML 1.1 scalars. This js-yaml
// schema resolves plain scalars the way go-yaml v2's resolve.go does: yes/no/on/off are
// booleans, 0755 is octal, 1_000 is 1000, 089 is a float; timestamps and "8080:80" stay
// strings (go-yaml keeps timestamps as strings when decoding into interface{}).
import jsyaml from 'js-yaml';

const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']);
const NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: Record<string, number> = {
  '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity,
  '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity,
  '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity,
  '.nan': NaN, '.NaN': NaN, '.NAN': NaN,
};
/** go-yaml's yamlStyleFloat. */
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** strconv.ParseInt(s, 0, 64) / ParseUint syntax (after go-yaml drops underscores): a number, or undefined. */
function goInt(text: string): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.exec(text.replace(/_/g, ''));
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2]!;
  let value: number;
  if (/^0[xX]/.test(body)) value = parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) value = parseInt(body.slice(2), 2);
  else if (/^0[oO]/.test(body)) value = parseInt(body.slice(2), 8);
  else if (body.length > 1 && body.startsWith('0')) value = parseInt(body.slice(1), 8);
  else value = Number(body);
  return sign * value;
}

function goFloat(text: string): number | undefined {
  if (text in SPECIAL_FLOATS) return SPECIAL_FLOATS[text];
  const plain = text.replace(/_/g, '');
  return FLOAT.test(plain) ? Number(plain) : undefined;
}

const nullType = new jsyaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (s: string | null) => s === null || NULL.has(s),
  construct: () => null,
});

const boolType = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && (TRUE.has(s) || FALSE.has(s)),
  construct: (s: string) => TRUE.has(s),
});

const intType = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && goInt(s) !== undefined,
  construct: (s: string) => goInt(s),
});

const floatType = new jsyaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && goFloat(s) !== undefined,
  construct: (s: string) => goFloat(s),
});

/** "<<" merge keys (js-yaml's loader merges a key carrying this tag), as go-yaml v2 does. */
const mergeType = new jsyaml.Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (s: string | null) => s === '<<',
});

export const GO_YAML_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [nullType, boolType, intType, floatType, mergeType],
});

/** A YAML syntax error: what is wrong, and the 1-based line of the text where it was found. */
export class YamlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number | undefined,
  ) {
    super(reason);
  }
}

/** One YAML (or JSON) document read as kubectl reads it; bad syntax throws YamlSyntaxError. */
export function loadYaml(text: string): unknown {
  try {
    return jsyaml.load(text, { schema: GO_YAML_SCHEMA, json: true });
  } catch (e) {
    const err = e as { reason?: string; mark?: { line: number }; message?: string };
    throw new YamlSyntaxError(err.reason ?? String(err.message ?? e).split('\n')[0]!, err.mark ? err.mark.line + 1 : undefined);
  }
}
