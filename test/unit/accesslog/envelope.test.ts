import { strict as assert } from 'node:assert';
import { createEnvelope, type Unwrapped } from '../../../src/accesslog/parse/envelope.js';

function run(
  name: 'cri' | 'docker_json' | 'kubectl_timestamps',
  lines: string[],
  max = 1000,
): Unwrapped[] {
  const envelope = createEnvelope(name, max);
  return lines.map((l) => envelope.unwrap(l));
}

describe('container-runtime envelopes', () => {
  it('CRI: a full line is unwrapped', () => {
    assert.deepEqual(run('cri', ['2026-11-30T01:02:03.123456789Z stdout F {"sni":"a"}']), [
      { kind: 'line', line: '{"sni":"a"}' },
    ]);
  });
  it('CRI: partial pieces are joined until F', () => {
    assert.deepEqual(run('cri', ['t stdout P {"sni":', 't stdout P "a"', 't stderr F }']), [
      { kind: 'partial' },
      { kind: 'partial' },
      { kind: 'line', line: '{"sni":"a"}' },
    ]);
  });
  it('CRI: an empty F line is an empty line', () => {
    assert.deepEqual(run('cri', ['t stdout F ']), [{ kind: 'line', line: '' }]);
  });
  const badCri = ['no envelope here', 't stdin F x', 't stdout X x', 't stdout Fx', ''];
  for (const line of badCri) {
    it(`CRI: ${JSON.stringify(line)} is malformed`, () => {
      assert.equal(run('cri', [line])[0]?.kind, 'malformed');
    });
  }
  it('CRI: joined pieces over the limit are oversize, and the next line is fine', () => {
    const big = 'x'.repeat(600);
    assert.deepEqual(
      run('cri', [`t stdout P ${big}`, `t stdout F ${big}`, 't stdout F ok'], 1000).map(
        (u) => u.kind,
      ),
      ['partial', 'oversize', 'line'],
    );
  });
  it('Docker: the log field is unwrapped, its newline removed', () => {
    assert.deepEqual(
      run('docker_json', ['{"log":"{\\"sni\\":\\"a\\"}\\n","stream":"stdout","time":"t"}']),
      [{ kind: 'line', line: '{"sni":"a"}' }],
    );
  });
  it('Docker: a line split at 16 KiB is joined until the piece with the newline', () => {
    assert.deepEqual(
      run('docker_json', ['{"log":"ab","stream":"stdout"}', '{"log":"cd\\n","stream":"stdout"}']),
      [{ kind: 'partial' }, { kind: 'line', line: 'abcd' }],
    );
  });
  for (const line of ['not json', '{"stream":"stdout"}', '{"log":5}', 'null']) {
    it(`Docker: ${line} is malformed`, () => {
      assert.equal(run('docker_json', [line])[0]?.kind, 'malformed');
    });
  }

  // `kubectl logs --timestamps`: an RFC 3339 time (nanoseconds, Z or an offset), one space
  const kubectl: ReadonlyArray<[string, Unwrapped]> = [
    [
      '2025-02-11T08:14:02.117384920Z [x] "GET / HTTP/2" 200',
      { kind: 'line', line: '[x] "GET / HTTP/2" 200' },
    ],
    ['2025-02-11T16:14:05+08:00 {"a":1}', { kind: 'line', line: '{"a":1}' }],
    ['2025-02-11T08:14:02Z ', { kind: 'line', line: '' }],
  ];
  for (const [line, expected] of kubectl) {
    it(`kubectl_timestamps: ${JSON.stringify(line.slice(0, 40))} is unwrapped`, () => {
      assert.deepEqual(run('kubectl_timestamps', [line]), [expected]);
    });
  }
  const badKubectl = [
    '[2025-02-11T08:14:02.117Z] "GET / HTTP/2" 200',
    '2025-02-11 08:14:02 text',
    '2025-02-11T08:14:02.117Z stdout F text'.replace(' ', ''),
  ];
  for (const line of badKubectl) {
    it(`kubectl_timestamps: ${JSON.stringify(line.slice(0, 40))} is malformed`, () => {
      assert.equal(run('kubectl_timestamps', [line])[0]?.kind, 'malformed');
    });
  }
});
