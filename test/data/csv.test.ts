import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseCsv } from '../../src/data/csv.js';
import { parseDatasetSpec } from '../../src/data/spec.js';
import { ConfigError, DataError } from '../../src/engine/index.js';
import { readCsv } from '../../src/node/index.js';
import { put, tempDir } from './helpers.js';

const IRIS = 'sepal_length,sepal_width,species\n5.1,3.5,setosa\n7.0,3.2,versicolor\n\n6.3,3.3,virginica\r\n4.9,3.0,setosa\n';

describe('CSV loader', () => {
  it('reads numeric features and an integer label column by name, exactly', () => {
    const d = parseCsv('a,label,b\n1.5,2,-3\n0,0,1e-3\n', 't.csv', { label: 'label' });
    assert.deepEqual(d.x, new Float32Array([1.5, -3, 0, 1e-3]));
    assert.deepEqual(d.y, new Int32Array([2, 0]));
    assert.deepEqual([d.size, d.features, d.classes], [2, 2, 3]);
    assert.deepEqual(d.columns, ['a', 'b']);
    assert.equal(d.classNames, null);
  });

  it('finds the label by index (negative from the end) and maps string labels', () => {
    const sorted = parseCsv(IRIS, 'iris.csv', { label: -1, labelMap: 'sorted' });
    assert.deepEqual(sorted.y, new Int32Array([0, 1, 2, 0]));
    assert.deepEqual(sorted.classNames, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(sorted.x, new Float32Array([5.1, 3.5, 7.0, 3.2, 6.3, 3.3, 4.9, 3.0]));
    const given = parseCsv(IRIS, 'iris.csv', { label: 2, labelMap: { virginica: 0, setosa: 1, versicolor: 2 } });
    assert.deepEqual(given.y, new Int32Array([1, 2, 0, 1]));
    assert.deepEqual(given.classNames, ['virginica', 'setosa', 'versicolor']);
  });

  it('handles quoted cells and gzip files', () => {
    const dir = tempDir();
    const path = put(dir, 'q.csv.gz', gzipSync('"x, first",y\n"1.25",1\n2,"0"\n'));
    const d = readCsv(path, { label: 'y' });
    assert.deepEqual(d.columns, ['x, first']);
    assert.deepEqual(d.x, new Float32Array([1.25, 2]));
  });

  it('names file, line and column of a bad cell', () => {
    const text = 'a,b,y\n1,2,0\n3,oops,1\n';
    assert.throws(
      () => parseCsv(text, 'bad.csv', { label: 'y' }),
      /^DataError: bad\.csv:3: column 'b' \(1\) is "oops", not a finite number$/,
    );
    assert.throws(() => parseCsv('a,y\n,1\n', 'e.csv', { label: 'y' }), /e\.csv:2: column 'a' \(0\) is "", not a finite number/);
    assert.throws(() => parseCsv('a,y\nNaN,1\n', 'n.csv', { label: 'y' }), /n\.csv:2: column 'a' \(0\) is "NaN", not a finite number/);
    assert.throws(() => parseCsv('a,y\n1,1\n2\n', 's.csv', { label: 'y' }), /s\.csv:3: has 1 cells, the header has 2/);
    assert.throws(() => parseCsv('a,y\n"1,1\n', 'u.csv', { label: 'y' }), /u\.csv:2: unterminated quote/);
  });

  it('refuses a labelMap index beyond int32, which would wrap to another class (found by fuzzing)', () => {
    for (const k of [2 ** 53 - 1, 2 ** 32 + 1, 2 ** 31]) {
      assert.throws(
        () => parseCsv('x,label\n1,a\n', 'm.csv', { label: 'label', labelMap: { a: k } }),
        (err: unknown) =>
          err instanceof DataError && err.message === `m.csv: labelMap maps "a" to ${k}; class indices must be integers in [0, 2147483647]`,
      );
      assert.throws(() => parseDatasetSpec({ kind: 'csv', path: 'm.csv', label: 'label', labelMap: { a: k } }), ConfigError);
    }
    assert.deepEqual(parseCsv('x,label\n1,a\n', 'm.csv', { label: 'label', labelMap: { a: 2 ** 31 - 1 } }).y, Int32Array.of(2 ** 31 - 1));
  });

  it('refuses unmapped text labels, unknown columns, out-of-range labels and empty files', () => {
    assert.throws(
      () => parseCsv(IRIS, 'iris.csv', { label: 'species' }),
      /iris\.csv:2: label "setosa" is not a non-negative integer; pass a labelMap/,
    );
    assert.throws(
      () => parseCsv(IRIS, 'iris.csv', { label: 'species', labelMap: { setosa: 0, versicolor: 1 } }),
      /iris\.csv:5: label "virginica" is not in the labelMap \(known: setosa, versicolor\)/,
    );
    assert.throws(
      () => parseCsv(IRIS, 'iris.csv', { label: 'kind' }),
      /iris\.csv: label column "kind" is not in the header \(sepal_length, sepal_width, species\)/,
    );
    assert.throws(
      () => parseCsv('a,y\n1,3\n', 'r.csv', { label: 'y', classes: 3 }),
      /r\.csv: label 3 at sample 0 is out of range; labels must be integers in \[0, 2\]/,
    );
    assert.throws(() => parseCsv('\n\n', 'blank.csv', { label: 0 }), /blank\.csv: is empty/);
    assert.throws(() => parseCsv('a,y\n', 'head.csv', { label: 'y' }), /head\.csv: holds no samples/);
  });
});
