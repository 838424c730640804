import fc from 'fast-check';
import { isValidBagId, isValidBsn, isValidKvk, normaliseHouseNumber, normalisePostcode } from '../../src/domain/identifiers';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });
const WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2];

/** The ninth digit that makes eight digits pass the 11-proof, or undefined when it would have to be 10. */
function bsnCheckDigit(first8: number[]): number | undefined {
  const r = first8.reduce((acc, d, i) => acc + d * WEIGHTS[i], 0) % 11;
  return r === 10 ? undefined : r;
}

describe('KvK number', () => {
  it.each(['12345678', '00000001', '69599084'])('accepts %s', (s) => expect(isValidKvk(s)).toBe(true));
  it.each(['1234567', '123456789', '1234567a', ' 12345678', '1234 5678', ''])('refuses %j', (s) => expect(isValidKvk(s)).toBe(false));
});

describe('BSN', () => {
  it.each(['111222333', '123456782', '999996356'])('accepts %s', (s) => expect(isValidBsn(s)).toBe(true));
  it('accepts eight digits as a number that lost its leading zero', () => {
    expect(isValidBsn('12345672')).toBe(true); // 012345672
    expect(isValidBsn('12345671')).toBe(false);
  });
  it.each(['000000000', '00000000', '123456789', '111222334', '1234567', '1234567890', '12345678a', ' 111222333', ''])('refuses %j', (s) =>
    expect(isValidBsn(s)).toBe(false));

  it('accepts every number built with the 11-proof (except all zeros)', () => {
    fc.assert(fc.property(digits(8), (first8) => {
      const check = bsnCheckDigit(first8);
      fc.pre(check !== undefined && (check !== 0 || first8.some((d) => d !== 0)));
      expect(isValidBsn([...first8, check].join(''))).toBe(true);
    }));
  });
  it('refuses every single-digit typo of a valid number', () => {
    fc.assert(fc.property(digits(8), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (first8, pos, shift) => {
      const check = bsnCheckDigit(first8);
      fc.pre(check !== undefined);
      const typo = [...first8, check];
      typo[pos] = (typo[pos] + shift) % 10;
      expect(isValidBsn(typo.join(''))).toBe(false);
    }));
  });
});

describe('postcode', () => {
  it.each([
    ['1234AB', '1234 AB'], ['1234 ab', '1234 AB'], [' 9999  zz ', '9999 ZZ'], ['1000 aa', '1000 AA'], ['3511SB', '3511 SB'],
  ])('NL %j -> %j', (input, out) => expect(normalisePostcode('NL', input)).toBe(out));
  it.each(['0123 AB', '123 AB', '12345 AB', '1234 A', '1234 ABC', '1234-AB', '1234 SA', '1234 sd', '1234SS', '1234 Ä B', '', '1000'])('NL refuses %j', (s) =>
    expect(normalisePostcode('NL', s)).toBeUndefined());
  it.each([['1000', '1000'], [' 9999 ', '9999'], ['2000', '2000']])('BE %j -> %j', (input, out) => expect(normalisePostcode('BE', input)).toBe(out));
  it.each(['0999', '999', '10000', '1000 AB', 'B-1000', ''])('BE refuses %j', (s) => expect(normalisePostcode('BE', s)).toBeUndefined());

  it('gives one spelling for every way of typing an NL postcode, and keeps it', () => {
    const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    fc.assert(fc.property(fc.integer({ min: 1000, max: 9999 }), letter, letter, fc.constantFrom('', ' ', '  '), fc.boolean(), (n, a, b, sep, lower) => {
      const letters = a + b;
      const typed = `${n}${sep}${lower ? letters.toLowerCase() : letters}`;
      const out = normalisePostcode('NL', typed);
      if (['SA', 'SD', 'SS'].includes(letters)) expect(out).toBeUndefined();
      else {
        expect(out).toBe(`${n} ${letters}`);
        expect(normalisePostcode('NL', out as string)).toBe(out);
      }
    }));
  });
});

describe('BAG id', () => {
  it.each(['0363010000000001', '0014200022183446', '1680100000000000'])('accepts %s', (s) => expect(isValidBagId(s)).toBe(true));
  it.each(['363010000000001', '03630100000000011', '0363-01-0000000001', '036301000000000a', ''])('refuses %j', (s) => expect(isValidBagId(s)).toBe(false));
});

describe('house number', () => {
  it.each([
    ['12', '12'], [' 12 ', '12'], ['1', '1'], ['99999', '99999'],
    ['12a', '12A'], ['12 A', '12A'],
    ['12-3', '12-3'], ['12 - 3', '12-3'], ['12/3', '12-3'], ['12 3', '12-3'], ['12 hs', '12-HS'], ['12-a', '12-A'], ['12 III', '12-III'],
    ['12a-2', '12A-2'], ['12 A 2', '12A-2'], ['12b-zw', '12B-ZW'],
    ['12bis', '12 bis'], ['12 Bis', '12 bis'], ['12 ter', '12 ter'], ['7 quater', '7 quater'],
    ['12 bus 3', '12 bus 3'], ['12 bte 3', '12 bus 3'], ['12 boîte 3', '12 bus 3'], ['12bis bus 3', '12 bis bus 3'], ['12A bus 101', '12A bus 101'],
  ])('%j -> %j', (input, out) => expect(normaliseHouseNumber(input)).toBe(out));

  it.each(['', '0', '012', '100000', 'A12', '12 ABCDE', '12--3', '12a b c', 'Villa Rustoord', '-12', '12.5'])('refuses %j', (s) =>
    expect(normaliseHouseNumber(s)).toBeUndefined());
  it('reads "bus" without a number as an NL toevoeging, not a mailbox', () => expect(normaliseHouseNumber('12 bus')).toBe('12-BUS'));

  it('keeps what it returns (normalising twice changes nothing)', () => {
    const unit = fc.constantFrom(...'0123456789abhsuiterABS -/'.split(''));
    fc.assert(fc.property(fc.integer({ min: 1, max: 99999 }), fc.string({ unit, maxLength: 10 }), (n, rest) => {
      const out = normaliseHouseNumber(`${n}${rest}`);
      if (out !== undefined) expect(normaliseHouseNumber(out)).toBe(out);
    }), { numRuns: 2000 });
  });
});
