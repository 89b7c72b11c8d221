// The TYPE.field.path argument, parsed as kubectl explain parses it: wrapped into a client-go
// JSONPath template "{.<path>}" and split into nodes (kubectl pkg/explain/explain.go
// jsonPathParse). Explain accepts field nodes only; the other node kinds exist here so the
// caller can reject them with kubectl's messages ("a..b" is a recursive descent, "a[0]" an
// array index).

export type PathNode = { type: 'field'; value: string } | { type: 'recursive' } | { type: 'array' } | { type: 'wildcard' };

/** Thrown with client-go's message for a path it cannot parse. */
export class PathSyntaxError extends Error {}

/** Characters that end a field name (client-go jsonpath isTerminator). */
const TERMINATORS = new Set(['.', ',', '[', ']', '$', '@', '{', '}', ' ', '\t', '\r', '\n']);

/** The nodes of `{.<input>}`; one trailing "." is ignored, as kubectl does. */
export function parsePath(input: string): PathNode[] {
  const s = '.' + (input.endsWith('.') ? input.slice(0, -1) : input);
  const nodes: PathNode[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === ' ' || ch === '\t') {
      i++;
    } else if (ch === '.') {
      if (s[i + 1] === '.') {
        nodes.push({ type: 'recursive' });
        i += 2;
        // After "..", a field starts right away only if a letter or digit follows.
        if (i < s.length && /[\p{L}\p{N}_]/u.test(s[i]!)) i = field(s, i, nodes);
      } else {
        i = field(s, i + 1, nodes);
      }
    } else if (ch === '[') {
      const end = s.indexOf(']', i);
      if (end < 0) throw new PathSyntaxError('unclosed array expect ]');
      nodes.push({ type: 'array' });
      i = end + 1;
    } else {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      throw new PathSyntaxError(`unrecognized character in action: U+${code} '${ch}'`);
    }
  }
  return nodes;
}

function field(s: string, start: number, nodes: PathNode[]): number {
  let i = start;
  // A backslash escapes the next character ("a\\.b" is one field "a.b").
  while (i < s.length && !TERMINATORS.has(s[i]!)) i += s[i] === '\\' ? 2 : 1;
  i = Math.min(i, s.length);
  const value = s.slice(start, i).replaceAll('\\', '');
  nodes.push(value === '*' ? { type: 'wildcard' } : { type: 'field', value });
  return i;
}
