// Where the Trace CodeLens goes: main guards of files that import multiprocessing, only those.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mainGuardLines } from '../../src/shared/mainGuard';

test('the CodeLens sits on each main guard of a file that imports multiprocessing', () => {
  assert.deepEqual(mainGuardLines('import multiprocessing\n\nif __name__ == "__main__":\n    pass\n'), [2]);
  assert.deepEqual(mainGuardLines("from multiprocessing import Process\nif __name__=='__main__':\n  x\n"), [1]);
  assert.deepEqual(mainGuardLines('import os, multiprocessing as mp\r\nif __name__ == "__main__" :\r\n  x\r\n'), [1]);
});

test('no CodeLens without multiprocessing, on indented or mismatched guards, or in a comment', () => {
  assert.deepEqual(mainGuardLines('import os\nif __name__ == "__main__":\n  x\n'), []);
  assert.deepEqual(mainGuardLines('import multiprocessing\n  if __name__ == "__main__":\n'), []);
  assert.deepEqual(mainGuardLines('import multiprocessing\nif __name__ == "__main__\':\n'), []);
  assert.deepEqual(mainGuardLines('# import multiprocessing\nif __name__ == "__main__":\n'), []);
});
