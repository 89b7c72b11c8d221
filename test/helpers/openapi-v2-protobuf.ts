// A swagger 2.0 document in the protobuf form API servers serve at /openapi/v2 to kubectl
// (gnostic's openapi.v2.Document, field numbers from openapiv2/OpenAPIv2.proto), so the fake
// API server can answer kubectl's v2 request (kubectl accepts nothing else there). Only what
// kube-openapi's proto model reads is encoded: $ref, format, title, description, required,
// additionalProperties, type, items, allOf, properties and the x- extensions (as YAML, which
// JSON is).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** A length-delimited field (wire type 2). */
function field(num: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(varint((num << 3) | 2)), Buffer.from(varint(payload.length)), payload]);
}
const str = (num: number, s: string) => field(num, Buffer.from(s, 'utf8'));
/** A varint field (wire type 0). */
const bool = (num: number, b: boolean) => Buffer.from([...varint(num << 3), b ? 1 : 0]);

/** openapi.v2.Schema */
function schema(s: Obj): Buffer {
  const parts: Buffer[] = [];
  if (typeof s.$ref === 'string') parts.push(str(1, s.$ref));
  if (typeof s.format === 'string') parts.push(str(2, s.format));
  if (typeof s.title === 'string') parts.push(str(3, s.title));
  if (typeof s.description === 'string' && s.description !== '') parts.push(str(4, s.description));
  if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') parts.push(str(19, r));
  const extra = s.additionalProperties;
  if (isObj(extra)) parts.push(field(21, field(1, schema(extra))));
  else if (typeof extra === 'boolean') parts.push(field(21, bool(2, extra)));
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    parts.push(field(22, Buffer.concat(types.map((t) => str(1, String(t))))));
  }
  if (s.items !== undefined) {
    const items = Array.isArray(s.items) ? s.items : [s.items];
    parts.push(field(23, Buffer.concat(items.filter(isObj).map((i) => field(1, schema(i))))));
  }
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isObj(a)) parts.push(field(24, schema(a)));
  if (isObj(s.properties)) parts.push(field(25, namedSchemas(s.properties)));
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-')) parts.push(field(31, Buffer.concat([str(1, k), field(2, str(2, JSON.stringify(v)))])));
  }
  return Buffer.concat(parts);
}

/** Properties / Definitions: repeated NamedSchema {name = 1, value = 2}. */
function namedSchemas(m: Obj): Buffer {
  return Buffer.concat(Object.entries(m).filter(([, v]) => isObj(v)).map(([name, v]) => field(1, Buffer.concat([str(1, name), field(2, schema(v as Obj))]))));
}

/** openapi.v2.Document {swagger = 1, info = 2 {title = 1, version = 2}, definitions = 9}. */
export function swaggerProtobuf(doc: { definitions: Record<string, unknown> }, version = 'v1.16.2'): Buffer {
  return Buffer.concat([str(1, '2.0'), field(2, Buffer.concat([str(1, 'Kubernetes'), str(2, version)])), field(9, namedSchemas(doc.definitions as Obj))]);
}
