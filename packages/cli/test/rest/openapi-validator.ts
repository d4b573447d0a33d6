import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** One HTTP answer of the REST API as a test saw it. */
export interface Seen {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: unknown;
}

type Json = Record<string, unknown>;

/**
 * Validates answers against a served OpenAPI 3.1 document with ajv's JSON Schema 2020-12 draft: the operation is found
 * by method and path template, the response by status, the schema by media type (every `$ref` resolved in the
 * document). Returns what did not validate, one line each.
 */
export function openApiValidator(document: Json): (seen: Seen) => string | undefined {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, 'openapi');
  const paths = document.paths as Record<string, Record<string, Json>>;
  const templates = Object.keys(paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const compiled = new Map<string, ValidateFunction>();
  const resolve = (value: Json): Json => {
    const target = value.$ref;
    if (typeof target !== 'string') return value;
    return target
      .slice(2)
      .split('/')
      .reduce<Json>((node, key) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')] as Json, document);
  };
  return (seen) => {
    const found = templates.find((t) => t.pattern.test(seen.path));
    if (!found) return `${seen.method} ${seen.path}: no path in the document`;
    const operation = paths[found.template]![seen.method.toLowerCase()];
    if (!operation) return `${seen.method} ${seen.path}: no ${seen.method} operation for ${found.template}`;
    const responses = operation.responses as Record<string, Json>;
    const declared = responses[String(seen.status)];
    if (!declared) return `${seen.method} ${seen.path}: status ${seen.status} is not declared`;
    const content = resolve(declared).content as Record<string, { schema: Json }>;
    const media = seen.contentType.split(';')[0]!.trim();
    if (!content[media]) return `${seen.method} ${seen.path} ${seen.status}: media type ${media} is not declared`;
    const key = `${seen.method} ${found.template} ${seen.status} ${media}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(withRefs(content[media].schema));
      compiled.set(key, validate);
    }
    if (validate(seen.body)) return undefined;
    return `${seen.method} ${seen.path} ${seen.status}: ${ajv.errorsText(validate.errors)}`;
  };
}

/** A schema whose local `$ref`s (`#/components/…`) point into the document registered as `openapi`. */
function withRefs(schema: unknown): Json {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#/g, '"$ref":"openapi#')) as Json;
}
