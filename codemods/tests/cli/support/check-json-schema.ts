/**
 * A small JSON Schema checker (draft 2020-12 subset: type, const, enum, required, properties,
 * additionalProperties, items, $ref to #/$defs, allOf, anyOf, minimum). No validator is installed, and
 * this subset is exactly what report.schema.json uses; an unsupported keyword fails loudly rather than
 * passing silently.
 */
type Schema = Record<string, unknown>;

const supportedKeywords = new Set([
  '$schema', '$id', 'title', 'description', '$defs', 'type', 'const', 'enum', 'required', 'properties',
  'additionalProperties', 'items', '$ref', 'allOf', 'anyOf', 'minimum',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function checkJsonSchema(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const resolveRef = (ref: string): Schema => {
    const match = /^#\/\$defs\/(.+)$/.exec(ref);
    const target = match ? (root.$defs as Record<string, Schema> | undefined)?.[match[1] ?? ''] : undefined;
    if (!target) throw new Error(`unsupported or missing $ref ${ref}`);
    return target;
  };
  const check = (schema: Schema, data: unknown, at: string): void => {
    for (const keyword of Object.keys(schema)) if (!supportedKeywords.has(keyword)) throw new Error(`unsupported keyword ${keyword} at ${at}`);
    if (typeof schema.$ref === 'string') check(resolveRef(schema.$ref), data, at);
    for (const part of (schema.allOf as Schema[] | undefined) ?? []) check(part, data, at);
    if (schema.anyOf) {
      const options = schema.anyOf as Schema[];
      if (!options.some((option) => checkJsonSchemaAt(root, option, data).length === 0)) errors.push(`${at}: matches none of anyOf`);
    }
    if ('const' in schema && data !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(data)}`);
    if (schema.enum && !(schema.enum as unknown[]).includes(data)) errors.push(`${at}: ${JSON.stringify(data)} is not one of ${JSON.stringify(schema.enum)}`);
    if (typeof schema.type === 'string') {
      const actual = typeOf(data);
      if (actual !== schema.type && !(schema.type === 'number' && actual === 'integer')) {
        errors.push(`${at}: expected ${schema.type}, got ${actual}`);
        return;
      }
    }
    if (typeof schema.minimum === 'number' && typeof data === 'number' && data < schema.minimum) errors.push(`${at}: ${data} < ${schema.minimum}`);
    if (typeOf(data) === 'object') {
      const object = data as Record<string, unknown>;
      for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in object)) errors.push(`${at}: missing required ${key}`);
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      for (const [key, child] of Object.entries(object)) {
        const propertySchema = properties[key];
        if (propertySchema) check(propertySchema, child, `${at}.${key}`);
        else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${key}`);
        else if (typeof schema.additionalProperties === 'object') check(schema.additionalProperties as Schema, child, `${at}.${key}`);
      }
    }
    if (Array.isArray(data) && schema.items) data.forEach((item, index) => check(schema.items as Schema, item, `${at}[${index}]`));
  };
  check(root, value, '$');
  return errors;
}

function checkJsonSchemaAt(root: Schema, schema: Schema, value: unknown): string[] {
  return checkJsonSchema({ ...schema, $defs: root.$defs }, value);
}
