// POST /-/drill takes only closed-list values and bounded numbers: anything else is refused with
// the parameter named, so a drill's note can never write arbitrary text into the exporter's log.
import { strict as assert } from 'node:assert';
import { drillNoteOf } from '../../../src/server/drill-note.js';

const good = { event: 'start', fault: 'no_client_cert', target: '10.0.0.5:8443', handshakes: '30' };

describe('a drill note (POST /-/drill)', () => {
  it('a start with its handshakes, an end with its verdict', () => {
    assert.deepEqual(drillNoteOf(good), {
      event: 'start',
      fault: 'no_client_cert',
      target: '10.0.0.5:8443',
      handshakes: 30,
    });
    assert.deepEqual(
      drillNoteOf({ event: 'end', fault: 'plaintext', target: '[::1]:443', verdict: 'unseen' }),
      { event: 'end', fault: 'plaintext', target: '[::1]:443', verdict: 'unseen' },
    );
  });

  const refused: ReadonlyArray<readonly [string, Record<string, unknown>, RegExp]> = [
    ['no event', { ...good, event: undefined }, /^event:/],
    ['an unknown fault', { ...good, fault: 'rm -rf' }, /^fault: expected one of no_client_cert/],
    ['a target with a newline', { ...good, target: 'a:1\nlevel=error msg=forged' }, /^target:/],
    ['a target too long', { ...good, target: `${'a'.repeat(300)}:1` }, /^target:/],
    ['handshakes past the cap', { ...good, handshakes: '3001' }, /^handshakes:/],
    ['handshakes not whole', { ...good, handshakes: '1.5' }, /^handshakes:/],
    ['an unknown verdict', { ...good, verdict: 'great' }, /^verdict:/],
    ['a repeated parameter (an array)', { ...good, fault: ['plaintext', 'wrong_sni'] }, /^fault:/],
  ];
  for (const [name, query, why] of refused)
    it(`refused: ${name}`, () => {
      const note = drillNoteOf(query);
      assert.equal(typeof note, 'string');
      assert.match(note as string, why);
    });
});
