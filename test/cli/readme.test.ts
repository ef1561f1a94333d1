import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { optionsMarkdown } from '../../src/cli/options-doc.js';

test('the README option table is generated from the option table', () => {
  const readme = readFileSync('README.md', 'utf8');
  assert.ok(readme.includes(optionsMarkdown()), 'README.md is stale: run node --import tsx scripts/readme-options.ts');
});
