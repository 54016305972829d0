// Writes the JSON Schemas of the envelope and of every payload to docs/schemas (`npm run schemas`).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { jsonSchemaDocuments, renderJsonSchema } from '../src/json-schemas';

const outputDir = resolve(__dirname, '..', '..', '..', 'docs', 'schemas');

function main(): void {
  mkdirSync(outputDir, { recursive: true });
  const documents = jsonSchemaDocuments();
  const wanted = new Set(documents.map((document) => document.fileName));
  for (const stale of readdirSync(outputDir).filter((name) => name.endsWith('.json'))) {
    if (!wanted.has(stale)) rmSync(join(outputDir, stale));
  }
  for (const document of documents) {
    writeFileSync(join(outputDir, document.fileName), renderJsonSchema(document));
  }
  process.stdout.write(`wrote ${documents.length} schemas to ${outputDir}\n`);
}

main();
