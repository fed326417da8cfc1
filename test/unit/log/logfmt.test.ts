import { strict as assert } from 'node:assert';
import { createLogger } from '../../../src/log/logger.js';
import { logfmtValue, toLogfmt } from '../../../src/log/logfmt.js';

describe('logfmt', () => {
  const values: ReadonlyArray<[unknown, string]> = [
    ['plain', 'plain'],
    ['two words', '"two words"'],
    ['quote"inside', '"quote\\"inside"'],
    ['a=b', '"a=b"'],
    ['', '""'],
    ['line\nbreak', '"line\\nbreak"'],
    [42, '42'],
    [true, 'true'],
    [null, 'null'],
    [new Error('boom here'), '"boom here"'],
  ];
  for (const [input, expected] of values) {
    it(`renders ${JSON.stringify(String(input))} as ${expected}`, () => {
      assert.equal(logfmtValue(input), expected);
    });
  }

  it('puts time, level and msg first and flattens nested objects', () => {
    assert.equal(
      toLogfmt({ a: 1, msg: 'hello world', level: 'info', time: 't', nested: { x: 'y' } }),
      'time=t level=info msg="hello world" a=1 nested.x=y',
    );
  });

  it('keeps an error message and code, not the stack', () => {
    assert.equal(
      toLogfmt({
        msg: 'm',
        err: { type: 'Error', message: 'bad thing', stack: 'at x', code: 'E1' },
      }),
      'msg=m err="bad thing" err_code=E1',
    );
  });

  for (const format of ['logfmt', 'json'] as const) {
    it(`the ${format} logger honours the level and writes one line per record`, () => {
      const lines: string[] = [];
      const logger = createLogger('warn', format, { write: (l) => lines.push(l) });
      logger.info('hidden');
      logger.warn({ port: 1 }, 'shown');
      assert.equal(lines.length, 1);
      const line = lines[0] ?? '';
      assert.ok(line.endsWith('\n'));
      if (format === 'json') {
        const record = JSON.parse(line) as Record<string, unknown>;
        assert.equal(record['level'], 'warn');
        assert.equal(record['msg'], 'shown');
        assert.equal(record['port'], 1);
      } else {
        assert.match(line, /^time=\S+ level=warn msg=shown port=1\n$/);
      }
    });
  }
});
