// Money (SPEC §1): whole won from 1 to 10^12, and the default increment table by price band.
import t from 'tap';
import { defaultIncrement, INCREMENT_TABLE, isAmount, MAX_AMOUNT } from '../../engine/index.ts';

t.test('MAX_AMOUNT is 10^12', async (t) => {
  t.equal(MAX_AMOUNT, 10 ** 12);
  t.ok(Number.isSafeInteger(MAX_AMOUNT));
});

t.test('isAmount accepts safe integers from 1 to 10^12', async (t) => {
  for (const v of [1, 2, 100, 10_000, 999_999_999_999, 10 ** 12]) t.equal(isAmount(v), true, `${v}`);
});

t.test('isAmount rejects everything else', async (t) => {
  const bad: Array<[string, unknown]> = [
    ['0', 0], ['-0', -0], ['-1', -1], ['float 1.5', 1.5], ['float 0.5', 0.5], ['tiny float', 1e-9],
    ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity],
    ['10^12 + 1', 10 ** 12 + 1], ['MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER], ['2^53', 2 ** 53],
    ['unsafe 2^53 + 2', 2 ** 53 + 2], ['1e21', 1e21],
    ['numeric string', '100'], ['empty string', ''], ['bigint', 100n], ['boolean', true], ['null', null],
    ['undefined', undefined], ['object', {}], ['array', [100]], ['boxed number', Object(100)],
  ];
  for (const [name, v] of bad) t.equal(isAmount(v), false, name);
});

t.test('INCREMENT_TABLE is ascending and unbounded at the top', async (t) => {
  t.ok(INCREMENT_TABLE.length > 0);
  for (let i = 1; i < INCREMENT_TABLE.length; i++) {
    t.ok(INCREMENT_TABLE[i][0] > INCREMENT_TABLE[i - 1][0], `band ${i} starts above band ${i - 1}`);
    t.ok(INCREMENT_TABLE[i][1] >= INCREMENT_TABLE[i - 1][1], `raise of band ${i} is not smaller`);
  }
  t.equal(INCREMENT_TABLE[INCREMENT_TABLE.length - 1][0], Infinity);
  for (const [, raise] of INCREMENT_TABLE) t.ok(isAmount(raise), `raise ${raise} is a valid amount`);
});

t.test('defaultIncrement at every band edge', async (t) => {
  const cases: Array<[number, number]> = [
    [1, 100], [9_999, 100],
    [10_000, 500], [49_999, 500],
    [50_000, 1_000], [99_999, 1_000],
    [100_000, 5_000], [499_999, 5_000],
    [500_000, 10_000], [999_999, 10_000],
    [1_000_000, 50_000], [4_999_999, 50_000],
    [5_000_000, 100_000], [9_999_999, 100_000],
    [10_000_000, 500_000], [10 ** 12, 500_000],
  ];
  for (const [price, raise] of cases) t.equal(defaultIncrement(price), raise, `price ${price}`);
});

t.test('defaultIncrement follows INCREMENT_TABLE row by row', async (t) => {
  let lower = 1;
  for (const [below, raise] of INCREMENT_TABLE) {
    t.equal(defaultIncrement(lower), raise, `lowest price ${lower} of the band below ${below}`);
    if (Number.isFinite(below)) {
      t.equal(defaultIncrement(below - 1), raise, `highest price ${below - 1} of the band`);
      lower = below;
    }
  }
});
