// Fails while a library recorded in fixtures/recorded has no test file replaying it. Each test
// file in turn checks that it replays every scenario recorded for its libraries.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { LIBRARY_TEST_FILES, RECORDED_DIR } from './recorded-fixture-support.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

it('has checks for every recorded library', () => {
  assert.deepEqual(fs.readdirSync(RECORDED_DIR).sort(), Object.keys(LIBRARY_TEST_FILES).sort());
  for (const [library, file] of Object.entries(LIBRARY_TEST_FILES)) {
    assert.ok(fs.readFileSync(path.join(HERE, file), 'utf8').includes(`'${library}'`), `${file} names ${library}`);
  }
});
