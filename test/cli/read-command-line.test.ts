import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCommandLine } from '../../src/cli/main.js';
import { WidenError } from '../../src/index.js';

const read = (...args: string[]) => readCommandLine(['node', 'widen', ...args]);

describe('readCommandLine', () => {
  it('reads a command, its arguments and typed option values without running it', () => {
    const line = read('train', '--epochs', '3', '--hidden', '8,4', '--lr=0.01');
    assert.equal(line?.command, 'train');
    assert.deepEqual(line?.args, []);
    assert.deepEqual(
      [...(line?.options ?? [])],
      [
        ['epochs', 3],
        ['hidden', [8, 4]],
        ['lr', 0.01],
      ],
    );
    assert.deepEqual(read('inspect', 'm.safetensors')?.args, ['m.safetensors']);
  });

  it('refuses dotted flags, which cac reads as nested options (found by fuzzing: a TypeError inside cac)', () => {
    for (const argv of [
      ['adamw', '--no-seed', '--seed.x', '--constructor', '--hidden', '--resume', '--method', '--classes'],
      ['train', '--no-seed', '--seed.x'],
      ['train', '--seed.x=1'],
    ]) {
      assert.throws(
        () => read(...argv),
        (err: unknown) =>
          err instanceof WidenError &&
          err.code === 'usage' &&
          /^unknown option `--seed\.x`; widen's options have no dots/.test(err.message),
      );
    }
    assert.equal(read('train', '--lr', '0.5')?.options.get('lr'), 0.5);
  });
});
