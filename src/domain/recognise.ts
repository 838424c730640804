// What can be recognised in free text (a Teams message turned into a signal): postcode and house number, a
// KvK number, a date. Only suggestions: the officer confirms them in the form.
import { normalisePostcode } from './identifiers.js';
import { isCalendarDate } from './signalIntake.js';

export interface Recognised {
  street?: string;
  houseNumber?: string;
  postcode?: string;
  place?: string;
  kvk?: string;
  observedOn?: string;
}

const MONTHS: Record<string, number> = {
  januari: 1, februari: 2, maart: 3, april: 4, mei: 5, juni: 6, juli: 7, augustus: 8, september: 9, oktober: 10, november: 11, december: 12,
  jan: 1, feb: 2, mrt: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, okt: 10, nov: 11, dec: 12,
};

const pad = (n: number) => String(n).padStart(2, '0');

function recogniseDate(text: string, today: string): string | undefined {
  const numeric = /\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b/.exec(text);
  const named = /\b(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})\b/i.exec(text);
  const candidates: string[] = [];
  if (numeric) candidates.push(`${numeric[3]}-${pad(Number(numeric[2]))}-${pad(Number(numeric[1]))}`);
  if (named && MONTHS[named[2].toLowerCase()]) candidates.push(`${named[3]}-${pad(MONTHS[named[2].toLowerCase()])}-${pad(Number(named[1]))}`);
  return candidates.find((d) => isCalendarDate(d) && d <= today);
}

// A street: capitalised words (with the particles of Dutch street names between them), not starting with a
// preposition that merely begins the sentence ("Bij Industrieweg 12").
const STREET = "\\b((?!(?:Bij|Aan|Op|In|Naast|Tegenover|Achter|Voor|Nabij|Langs|Bus)\\s)[A-Z][\\p{L}.'-]*(?:\\s(?:[A-Z][\\p{L}.'-]*|van|de|der|den|het|ter|ten))*)";
const NL_NUMBER_POSTCODE = '(\\d{1,5}\\s?[a-zA-Z]?(?:-\\d+)?)\\s*,?\\s+(\\d{4}\\s?[A-Za-z]{2})';
const BE_NUMBER_POSTCODE = '(\\d{1,5}[a-zA-Z]?)\\s*,?\\s+(\\d{4})';
const PLACE = "([A-Z][\\p{L}'-]+(?:[\\s-][A-Z][\\p{L}'-]+)*)";
const ADDRESS = {
  NL: new RegExp(`${STREET}\\s+${NL_NUMBER_POSTCODE}\\s+${PLACE}`, 'u'),
  BE: new RegExp(`${STREET}\\s+${BE_NUMBER_POSTCODE}\\s+${PLACE}`, 'u'),
} as const;

export function recogniseFromText(text: string, country: 'NL' | 'BE', today: string): Recognised {
  const out: Recognised = {};
  // "Industrieweg 12a, 1234 AB Heidebroek" or "Kerkstraat 5, 9000 Gent"
  const address = ADDRESS[country].exec(text);
  if (address) {
    const postcode = normalisePostcode(country, address[3]);
    if (postcode) Object.assign(out, { street: address[1], houseNumber: address[2].replace(/\s/g, '').toUpperCase(), postcode, place: address[4] });
  } else {
    const pc = country === 'NL' ? /\b(\d{4}\s?[A-Za-z]{2})\b/.exec(text) : null;
    const postcode = pc ? normalisePostcode(country, pc[1]) : undefined;
    if (postcode) out.postcode = postcode;
  }
  const kvk = /\bkvk(?:[- ]?(?:nummer|nr\.?))?[:\s]*(\d{8})\b/i.exec(text);
  if (kvk) out.kvk = kvk[1];
  const date = recogniseDate(text, today);
  if (date) out.observedOn = date;
  return out;
}
