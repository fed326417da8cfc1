import { strict as assert } from 'node:assert';
import { LabelLimiter } from '../../../src/limit/label-limiter.js';

describe('label limiter', () => {
  it('the allow-list is name globs: * crosses dots (the shipped *.svc.cluster.local)', () => {
    const limiter = new LabelLimiter(['*.svc.cluster.local'], 10);
    assert.equal(limiter.value('es.logging.svc.cluster.local'), 'es.logging.svc.cluster.local');
    assert.equal(limiter.value('evil.example'), 'other');
  });

  it('absent is none; values are lowercased', () => {
    const limiter = new LabelLimiter([], 10);
    assert.equal(limiter.value(undefined), 'none');
    assert.equal(limiter.value('API.Example.COM'), 'api.example.com');
    assert.equal(limiter.value('api.example.com'), 'api.example.com');
    assert.equal(limiter.distinct, 1);
  });

  it('outside the allow-list folds to other and is counted', () => {
    const limiter = new LabelLimiter(['*.dify.svc'], 10);
    assert.equal(limiter.value('chat.dify.svc'), 'chat.dify.svc');
    assert.equal(limiter.value('evil.example'), 'other');
    assert.equal(limiter.folded, 1);
  });

  it('past max_values every new value is other; known ones stay', () => {
    const limiter = new LabelLimiter([], 2);
    assert.equal(limiter.value('a'), 'a');
    assert.equal(limiter.value('b'), 'b');
    assert.equal(limiter.value('c'), 'other');
    assert.equal(limiter.value('A'), 'a');
    assert.equal(limiter.folded, 1);
  });

  it("a fold also counts into the caller's counter; a reserved .invalid name is other without one", () => {
    const limiter = new LabelLimiter([], 1);
    const folds = { value: 0 };
    assert.equal(limiter.value('a', folds), 'a');
    assert.equal(limiter.value('b', folds), 'other');
    assert.equal(limiter.value('x.invalid', folds), 'other');
    assert.equal(limiter.value(undefined, folds), 'none');
    assert.equal(folds.value, 1);
    assert.equal(limiter.folded, 1);
  });

  const unusable: ReadonlyArray<[string, string]> = [
    ['invalid UTF-8 (U+FFFD)', 'bad\ufffdname'],
    ['a control character', 'a\u0001b'],
    ['a quote', 'a"b'],
    ['the reserved value other', 'OTHER'],
    ['the reserved value none', 'none'],
    ['a name longer than DNS allows', 'x'.repeat(254)],
  ];
  for (const [name, value] of unusable) {
    it(`${name} folds to other`, () => {
      assert.equal(new LabelLimiter([], 10).value(value), 'other');
    });
  }

  const reserved: ReadonlyArray<[string, string[], string]> = [
    ["the drill's wrong name, any allow-list", ['*.dify.svc'], 'drill-wrong-name.invalid'],
    ['a name under .invalid, no allow-list', [], 'x.y.INVALID'],
    ['the bare TLD, with a trailing dot', [], 'invalid.'],
  ];
  for (const [name, allow, value] of reserved)
    it(`${name}: other, without a slot and without a fold`, () => {
      const limiter = new LabelLimiter(allow, 1);
      assert.equal(limiter.value(value), 'other');
      assert.equal(limiter.folded, 0);
      assert.equal(limiter.distinct, 0);
      // a real name still takes the one slot
      assert.equal(limiter.value('es.dify.svc'), 'es.dify.svc');
    });
  it('a name that only ends in "invalid" is an ordinary name', () => {
    const limiter = new LabelLimiter([], 10);
    assert.equal(limiter.value('notinvalid'), 'notinvalid');
    assert.equal(limiter.value('a.invalid.example'), 'a.invalid.example');
  });

  it('100 000 distinct values never produce more than max_values + 2 outputs', () => {
    const limiter = new LabelLimiter([], 100);
    const outputs = new Set<string>([limiter.value(undefined)]);
    for (let i = 0; i < 100_000; i++) outputs.add(limiter.value(`host-${i}.example`));
    assert.equal(outputs.size, 102);
    assert.equal(limiter.folded, 100_000 - 100);
  });
});
