// Which operators time a handshake and how their values become seconds. The operators and units
// are Envoy's (docs/envoy.md §5): %DOWNSTREAM_HANDSHAKE_DURATION% prints milliseconds,
// %COMMON_DURATION(START:END:PRECISION)% prints in ms, us or ns.
import { strict as assert } from 'node:assert';
import {
  fieldOfOperator,
  fieldOfOperatorText,
  handshakeSeconds,
  MILLISECONDS,
  timingOperator,
  timingUnitsOf,
} from '../../../src/accesslog/handshake-timing.js';
import type { AccessLogRecord } from '../../../src/accesslog/record.js';

describe('handshake timing operators', () => {
  const operators: ReadonlyArray<
    readonly [string, string | undefined, string | undefined, number?]
  > = [
    ['DOWNSTREAM_HANDSHAKE_DURATION', undefined, 'DOWNSTREAM_HANDSHAKE_DURATION', 1e-3],
    ['COMMON_DURATION', 'DS_HS_BEG:DS_HS_END:ms', 'DS_HANDSHAKE_TIME', 1e-3],
    ['COMMON_DURATION', 'DS_HS_BEG:DS_HS_END:us', 'DS_HANDSHAKE_TIME', 1e-6],
    ['COMMON_DURATION', 'DS_HS_BEG:DS_HS_END:ns', 'DS_HANDSHAKE_TIME', 1e-9],
    ['COMMON_DURATION', 'US_CX_END:US_HS_END:us', 'US_HANDSHAKE_TIME', 1e-6],
    // spans that are not a handshake alone: TCP connect included, or a request's phases
    ['COMMON_DURATION', 'US_CX_BEG:US_HS_END:ms', undefined],
    ['COMMON_DURATION', 'DS_RX_BEG:DS_TX_END:ms', undefined],
    // a unit Envoy does not take
    ['COMMON_DURATION', 'DS_HS_BEG:DS_HS_END:s', undefined],
    ['COMMON_DURATION', undefined, undefined],
    ['DOWNSTREAM_HANDSHAKE_DURATION', 'x', undefined],
    // the request's duration is not the handshake's (Envoy's and Istio's defaults log it)
    ['DURATION', undefined, undefined],
  ];
  for (const [name, arg, field, seconds] of operators) {
    it(`%${name}${arg === undefined ? '' : `(${arg})`}% -> ${field ?? 'not read'}`, () => {
      const timing = timingOperator(name, arg);
      assert.equal(timing?.field, field);
      assert.equal(timing?.seconds, seconds);
      const text = arg === undefined ? name : `${name}(${arg})`;
      assert.equal(fieldOfOperatorText(text), field);
    });
  }

  it('the span fields are no operator of their own; the classifier fields still map', () => {
    assert.equal(fieldOfOperator('DS_HANDSHAKE_TIME', undefined), undefined);
    assert.equal(fieldOfOperatorText('US_HANDSHAKE_TIME'), undefined);
    assert.equal(fieldOfOperator('REQUESTED_SERVER_NAME', undefined), 'REQUESTED_SERVER_NAME');
    assert.equal(fieldOfOperatorText('REQ(:AUTHORITY)'), undefined);
  });

  it('units: milliseconds unless a span says otherwise', () => {
    const units = timingUnitsOf([
      { field: 'DS_HANDSHAKE_TIME', seconds: 1e-9 },
      { field: 'US_HANDSHAKE_TIME', seconds: 1e-6 },
    ]);
    assert.deepEqual(units, {
      DOWNSTREAM_HANDSHAKE_DURATION: 1e-3,
      DS_HANDSHAKE_TIME: 1e-9,
      US_HANDSHAKE_TIME: 1e-6,
    });
  });

  const values: ReadonlyArray<
    readonly [string, AccessLogRecord, 'downstream' | 'upstream', number | undefined]
  > = [
    ['none', {}, 'downstream', undefined],
    ['ms as a number', { DOWNSTREAM_HANDSHAKE_DURATION: 12 }, 'downstream', 0.012],
    ['ms as text', { DOWNSTREAM_HANDSHAKE_DURATION: '12' }, 'downstream', 0.012],
    ['0 ms (under a millisecond)', { DOWNSTREAM_HANDSHAKE_DURATION: 0 }, 'downstream', 0],
    [
      'the ClientHello span wins over the time from the connection start',
      { DOWNSTREAM_HANDSHAKE_DURATION: 40, DS_HANDSHAKE_TIME: 3 },
      'downstream',
      0.003,
    ],
    ['the upstream span only upstream', { DS_HANDSHAKE_TIME: 3 }, 'upstream', undefined],
    ['upstream', { US_HANDSHAKE_TIME: '7' }, 'upstream', 0.007],
    ['a fraction', { DOWNSTREAM_HANDSHAKE_DURATION: '1.5' }, 'downstream', 0.0015],
    ['not a number', { DOWNSTREAM_HANDSHAKE_DURATION: 'abc' }, 'downstream', Number.NaN],
    ['negative', { DOWNSTREAM_HANDSHAKE_DURATION: -1 }, 'downstream', Number.NaN],
    ['a hex literal is not a decimal', { US_HANDSHAKE_TIME: '0x10' }, 'upstream', Number.NaN],
  ];
  for (const [name, record, direction, expected] of values) {
    it(`seconds: ${name}`, () => {
      assert.deepEqual(handshakeSeconds(record, direction, MILLISECONDS), expected);
    });
  }
});
