// Checks and normal forms for the registry keys a coordinator types while enriching a signal (KvK, BSN, BAG,
// postcode, house number). Pure: a wrong key must be caught before anyone looks it up, and one spelling per key
// lets two signals about the same address or company find each other.

/** KvK number (Dutch Chamber of Commerce): exactly 8 digits, no check digit since 2016. */
export function isValidKvk(s: string): boolean {
  return /^\d{8}$/.test(s);
}

/**
 * BSN (Dutch citizen service number): 9 digits passing the 11-proof. An 8-digit number is accepted as one with its
 * leading zero lost (spreadsheets do that). All zeros passes the 11-proof but is never issued.
 */
export function isValidBsn(s: string): boolean {
  if (!/^\d{8,9}$/.test(s)) return false;
  const digits = s.padStart(9, '0').split('').map(Number);
  if (digits.every((d) => d === 0)) return false;
  // Weights 9..2 for the first eight digits and -1 for the last.
  const sum = digits.reduce((acc, d, i) => acc + d * (i === 8 ? -1 : 9 - i), 0);
  return sum % 11 === 0;
}

// PostNL does not issue these letter combinations (they carried the wrong associations).
const NL_POSTCODE_LETTERS_NOT_ISSUED: readonly string[] = ['SA', 'SD', 'SS'];

/**
 * One spelling per postcode. NL: four digits (not starting with 0), optional whitespace, two letters:
 * "1234ab" and "1234  AB" become "1234 AB". BE: four digits 1000-9999. Undefined when it is not a postcode.
 */
export function normalisePostcode(country: 'NL' | 'BE', s: string): string | undefined {
  const text = s.trim().toUpperCase();
  if (country === 'BE') return /^[1-9]\d{3}$/.test(text) ? text : undefined;
  const m = /^([1-9]\d{3})\s*([A-Z]{2})$/.exec(text);
  if (!m || NL_POSTCODE_LETTERS_NOT_ISSUED.includes(m[2])) return undefined;
  return `${m[1]} ${m[2]}`;
}

/**
 * BAG object id (verblijfsobject, pand, nummeraanduiding, ...): 16 digits, being the municipality code (4), the
 * object type (2) and a sequence (10). Only the shape is checked; whether it exists is for the registry.
 */
export function isValidBagId(s: string): boolean {
  return /^\d{16}$/.test(s);
}

// number, then an optional letter, then an optional addition: a Belgian suffix (bis/ter/quater) or an NL
// toevoeging (1-4 letters or digits after "-", "/" or a space), then an optional Belgian mailbox (bus/bte).
const HOUSE_NUMBER =
  /^([1-9]\d{0,4}) ?([A-Z])?(?: ?(BIS|TER|QUATER)| ?[-/ ] ?([A-Z0-9]{1,4}))?(?: ?(?:BUS|BTE|BOÎTE) ?([A-Z0-9]{1,4}))?$/;

/**
 * One spelling per house number, for matching addresses. Case and spacing are free; accepted and returned:
 * - a number 1-99999 without leading zeros: "12" -> "12"
 * - an NL huisletter, one letter A-Z: "12a", "12 a" -> "12A"
 * - an NL huisnummertoevoeging, 1-4 letters/digits after "-", "/" or a space: "12-3", "12/3", "12 hs" -> "12-3",
 *   "12-3", "12-HS"; with a letter: "12a-2" -> "12A-2"
 * - a Belgian suffix: "12bis", "12 Bis", "12 ter" -> "12 bis", "12 ter"
 * - a Belgian mailbox: "12 bus 3", "12 bte 3", "12bis bus 3" -> "12 bus 3", "12 bus 3", "12 bis bus 3"
 * A lone letter after a number is read as the huisletter ("12-a" is a toevoeging, "12 a" a letter), as the BAG does.
 * Undefined for anything else (0, 100000, "12 ABCDE", "A12", a house name).
 */
export function normaliseHouseNumber(s: string): string | undefined {
  const m = HOUSE_NUMBER.exec(s.trim().replace(/\s+/g, ' ').toUpperCase());
  if (!m) return undefined;
  const [, number, letter, beSuffix, addition, mailbox] = m;
  return (
    number +
    (letter ?? '') +
    (beSuffix ? ` ${beSuffix.toLowerCase()}` : '') +
    (addition ? `-${addition}` : '') +
    (mailbox ? ` bus ${mailbox}` : '')
  );
}

/** Our record ids: a card's data is user input, and the database refuses anything else as a uuid. */
export function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

/** A person's Entra object id as Teams sends it (the Agents Playground's mock ids have 13 digits in the last group). */
export function isEntraObjectId(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i.test(text);
}
