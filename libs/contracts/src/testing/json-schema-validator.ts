// Validates events against the exported JSON Schemas with ajv, the way a non-TypeScript
// integrator would, so tests can hold the schemas and `parse` to the same verdicts.
import Ajv2020, { ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ENVELOPE_SCHEMA_URI, schemaId } from '../envelope';
import { JsonSchemaDocument, jsonSchemaDocuments } from '../json-schemas';
import { formatPath } from '../violation';

/** Paths (as `parse` names them) that a JSON Schema validator rejects; empty when valid. */
export type JsonSchemaValidator = (event: unknown) => string[];

export function createJsonSchemaValidator(
  documents: readonly JsonSchemaDocument[] = jsonSchemaDocuments(),
): JsonSchemaValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  for (const document of documents) ajv.addSchema(document.schema);
  const envelope = ajv.getSchema(ENVELOPE_SCHEMA_URI);
  if (!envelope) throw new Error('envelope schema missing');

  return (event) => {
    const paths = envelope(event) ? [] : pathsOf(envelope.errors ?? [], []);
    if (typeof event !== 'object' || event === null) return paths;
    const { type, data } = event as { type?: unknown; data?: unknown };
    const payload = typeof type === 'string' ? ajv.getSchema(schemaId(type)) : undefined;
    if (payload && typeof data === 'object' && data !== null && !Array.isArray(data)) {
      if (!payload(data)) paths.push(...pathsOf(payload.errors ?? [], ['data']));
    }
    return [...new Set(paths)];
  };
}

function pathsOf(errors: readonly ErrorObject[], prefix: readonly string[]): string[] {
  return errors.map((error) => {
    const segments: PropertyKey[] = [...prefix];
    for (const raw of error.instancePath.split('/').slice(1)) {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      segments.push(/^\d+$/.test(segment) ? Number(segment) : segment);
    }
    const params = error.params as { missingProperty?: string; propertyName?: string };
    if (error.keyword === 'required' && params.missingProperty)
      segments.push(params.missingProperty);
    if (params.propertyName !== undefined) segments.push(params.propertyName);
    return formatPath(segments);
  });
}
