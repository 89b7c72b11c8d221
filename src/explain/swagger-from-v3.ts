// An OpenAPI v3 group-version document turned into the swagger 2.0 definitions a cluster
// serves at /openapi/v2, for `explain --output plaintext-openapiv2` offline (svctrace ships
// v3 documents only). The shapes follow kube-openapi's v2 output: `$ref` to
// "#/definitions/NAME" with the field's description beside it (v3 wraps such refs in a
// one-element allOf), and int-or-string / quantity as plain strings (v3 has a oneOf). Pure.
import { isMap, type Json, type Schema } from './render.js';

export interface SwaggerDoc {
  swagger: '2.0';
  definitions: Record<string, Schema>;
}

const V3_REF = '#/components/schemas/';

function convert(s: Schema): Schema {
  const out: Schema = {};
  const allOf = Array.isArray(s.allOf) && s.allOf.length === 1 && isMap(s.allOf[0]) ? s.allOf[0] : undefined;
  for (const [key, value] of Object.entries(s)) {
    switch (key) {
      case 'allOf':
        if (!allOf) out.allOf = (value as Json[]).map((v) => (isMap(v) ? convert(v) : v));
        break;
      case 'oneOf':
      case 'anyOf':
      case 'nullable':
      case 'default':
        break; // swagger 2.0 has no oneOf / anyOf / nullable; defaults are not printed
      case '$ref':
        out.$ref = typeof value === 'string' && value.startsWith(V3_REF) ? `#/definitions/${value.slice(V3_REF.length)}` : value;
        break;
      case 'properties':
        out.properties = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, isMap(v) ? convert(v) : v]));
        break;
      case 'items':
      case 'additionalProperties':
        out[key] = isMap(value) ? convert(value) : value;
        break;
      default:
        out[key] = value;
    }
  }
  if (allOf) Object.assign(out, convert(allOf), s.description !== undefined ? { description: s.description } : {});
  if (out.type === undefined && (Array.isArray(s.oneOf) || Array.isArray(s.anyOf))) out.type = 'string';
  return out;
}

/** The definitions of one v3 document's components.schemas, as swagger 2.0. */
export function swaggerFromV3(doc: Schema): SwaggerDoc {
  const components = isMap(doc.components) && isMap(doc.components.schemas) ? doc.components.schemas : {};
  const definitions: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(components)) if (isMap(schema)) definitions[name] = convert(schema);
  return { swagger: '2.0', definitions };
}
