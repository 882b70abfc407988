// OpenAPI 3.1 document -> TypeScript declarations: the SDK's HTTP types (client/api-types.ts). Pure, no
// I/O, deterministic (names sorted), so the checked-in file can be compared with a regeneration from the
// live server's /openapi.json and any drift fails a test. It covers what the document uses: $ref, const,
// enum, type (or a list of types), properties and required, items, additionalProperties, anyOf, oneOf
// and allOf; every other keyword (patterns, bounds, formats) constrains values, not shapes, and is left
// to the server to check.

type Json = Record<string, unknown>;
type Schema = Json | boolean;

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const key = (k: string) => (IDENT.test(k) ? k : JSON.stringify(k));
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const sorted = <T>(o: Record<string, T>): [string, T][] => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function doc(text: unknown, pad: string): string {
  if (typeof text !== 'string' || text === '') return '';
  return `${pad}/** ${text.replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ')} */\n`;
}

/** The TypeScript type of a JSON Schema, laid out at indentation `pad`. */
export function typeOf(schema: Schema | undefined, pad = ''): string {
  if (schema === undefined || schema === true) return 'unknown';
  if (schema === false) return 'never';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop() as string;
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  for (const [k, join] of [['anyOf', ' | '], ['oneOf', ' | '], ['allOf', ' & ']] as const) {
    const list = schema[k];
    if (Array.isArray(list)) return list.map((s) => (join === ' & ' ? paren(typeOf(s as Schema, pad)) : typeOf(s as Schema, pad))).join(join);
  }
  const t = schema.type;
  if (Array.isArray(t)) return t.map((one) => typeOf({ ...schema, type: one }, pad)).join(' | ');
  switch (t) {
    case 'string': return 'string';
    case 'integer':
    case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'null': return 'null';
    case 'array': {
      const item = typeOf(schema.items as Schema | undefined, pad);
      return /^[\w$]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
    }
    case 'object':
    case undefined: return isObj(schema.properties) || t === 'object' ? objectOf(schema, pad) : 'unknown';
    default: return 'unknown';
  }
}

const paren = (t: string) => (/[|&]/.test(t) ? `(${t})` : t);

function objectOf(schema: Json, pad: string): string {
  const props = isObj(schema.properties) ? schema.properties : {};
  const extra = schema.additionalProperties;
  const names = Object.keys(props);
  if (names.length === 0) return `Record<string, ${isObj(extra) ? typeOf(extra, pad) : 'unknown'}>`;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const inner = `${pad}  `;
  let out = '{\n';
  for (const name of names) {
    const p = props[name] as Schema;
    out += doc(isObj(p) ? p.description : undefined, inner);
    out += `${inner}${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(p, inner)};\n`;
  }
  if (isObj(extra)) out += `${inner}[key: string]: ${typeOf(extra, inner)};\n`;
  return `${out}${pad}}`;
}

interface Param { name: string; in: string; required?: boolean; schema?: Schema; description?: string }

function paramsOf(params: Param[], where: string, pad: string): string {
  const list = params.filter((p) => p.in === where);
  if (list.length === 0) return '{}';
  let out = '{\n';
  for (const p of list) {
    out += doc(p.description, `${pad}  `);
    out += `${pad}  ${key(p.name)}${p.required === true ? '' : '?'}: ${typeOf(p.schema, `${pad}  `)};\n`;
  }
  return `${out}${pad}}`;
}

/** The first 2xx answer's body: its JSON schema, `string` for text, `void` when it has none. */
function answerOf(responses: Json, pad: string): string {
  const ok = Object.keys(responses).filter((s) => /^2\d\d$/.test(s)).sort()[0];
  const res = ok === undefined ? undefined : responses[ok];
  const content = isObj(res) && isObj(res.content) ? res.content : null;
  if (content === null) return 'void';
  const json = content['application/json'];
  if (isObj(json)) return typeOf(json.schema as Schema | undefined, pad);
  if (Object.keys(content).some((m) => m.startsWith('text/'))) return 'string';
  return 'Blob';
}

function operationOf(op: Json, shared: Param[], pad: string): string {
  const params = [...shared, ...((op.parameters as Param[] | undefined) ?? [])];
  const key = params.find((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
  const body = isObj(op.requestBody) ? op.requestBody : null;
  const bodyJson = body !== null && isObj(body.content) && isObj(body.content['application/json']) ? body.content['application/json'] : null;
  const inner = `${pad}  `;
  const lines = [
    doc(op.summary, inner).trimEnd(),
    `${inner}path: ${paramsOf(params, 'path', inner)};`,
    `${inner}query: ${paramsOf(params, 'query', inner)};`,
    `${inner}body: ${bodyJson === null ? 'never' : typeOf(bodyJson.schema as Schema | undefined, inner)};`,
    `${inner}bodyRequired: ${body !== null && body.required === true};`,
    `${inner}response: ${answerOf(isObj(op.responses) ? op.responses : {}, inner)};`,
    `${inner}auth: ${Array.isArray(op.security) && op.security.length > 0};`,
    `${inner}idempotencyKey: ${key === undefined ? "'none'" : key.required === true ? "'required'" : "'optional'"};`,
  ].filter((l) => l !== '');
  return `{\n${lines.join('\n')}\n${pad}}`;
}

/** The whole declarations file for an OpenAPI 3.1 document. */
export function generate(document: Json): string {
  const info = isObj(document.info) ? document.info : {};
  const components = isObj(document.components) && isObj(document.components.schemas) ? document.components.schemas : {};
  const paths = isObj(document.paths) ? document.paths : {};
  let out = '// Generated by client/gen/cli.ts from the server\'s /openapi.json; do not edit.\n';
  out += `// ${String(info.title)} ${String(info.version)}. test/client/api-types.test.ts fails when the server's document and this file differ.\n`;
  out += '/* eslint-disable */\n\n';
  for (const [name, schema] of sorted(components)) {
    out += doc(isObj(schema) ? schema.description : undefined, '');
    out += `export type ${name} = ${typeOf(schema as Schema)};\n\n`;
  }
  out += '/** Every route: path and query parameters, body, answer, whether it needs a bearer token and an Idempotency-Key. */\n';
  out += 'export interface Paths {\n';
  for (const [path, item] of sorted(paths)) {
    if (!isObj(item)) continue;
    const shared = (item.parameters as Param[] | undefined) ?? [];
    out += `  ${JSON.stringify(path)}: {\n`;
    for (const m of METHODS) {
      const op = item[m];
      if (isObj(op)) out += `    ${m}: ${operationOf(op, shared, '    ')};\n`;
    }
    out += '  };\n';
  }
  return `${out}}\n`;
}
