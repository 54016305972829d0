import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataSchemaPattern, schemaId } from './envelope';
import { EVENT_TYPES } from './events';
import { jsonSchemaDocuments, renderJsonSchema } from './json-schemas';

// The committed documents integrators read; regenerate with `npm run schemas`.
const committedDir = join(__dirname, '..', '..', '..', 'docs', 'schemas');

describe('exported JSON Schemas', () => {
  const documents = jsonSchemaDocuments();

  it('are committed in docs/schemas exactly as `npm run schemas` writes them', () => {
    const committed = readdirSync(committedDir)
      .filter((file) => file.endsWith('.json'))
      .sort();
    expect(committed).toEqual(documents.map((document) => document.fileName).sort());
    for (const document of documents) {
      const onDisk = readFileSync(join(committedDir, document.fileName), 'utf8');
      expect({ file: document.fileName, content: onDisk }).toEqual({
        file: document.fileName,
        content: renderJsonSchema(document),
      });
    }
  });

  it('give every payload a fixed $id that is itself a valid dataschema of its type', () => {
    const ids = documents.map((document) => document.schema.$id);
    expect(ids).toEqual(expect.arrayContaining(EVENT_TYPES.map((type) => schemaId(type))));
    for (const type of EVENT_TYPES) expect(schemaId(type)).toMatch(dataSchemaPattern(type));
  });

  it('render deterministically, pretty-printed with a trailing newline', () => {
    const again = jsonSchemaDocuments().map(renderJsonSchema);
    expect(again).toEqual(documents.map(renderJsonSchema));
    for (const text of again) expect(text).toMatch(/^\{\n {2}"\$schema": .*\n\}\n$/s);
  });

  it('accept unknown payload fields, as consumers must ignore them', () => {
    for (const document of documents)
      expect(JSON.stringify(document.schema)).not.toContain('"additionalProperties":false');
  });
});
