// The confidential-report PDF writes with pdfkit's standard fonts, which know WinAnsi only.
import { toWinAnsi } from '../../src/exports/reportPdf';

describe('toWinAnsi', () => {
  it('keeps Latin-1 and the WinAnsi extras', () => {
    expect(toWinAnsi('Coördinator · café – “besluit” … €5')).toBe('Coördinator · café – “besluit” … €5');
    expect(toWinAnsi('regel één\nregel twee')).toBe('regel één\nregel twee');
  });

  it('spells out arrows and the like, and makes anything else a question mark instead of garbage', () => {
    expect(toWinAnsi('Status: Klaar voor overleg → In verrijking.')).toBe('Status: Klaar voor overleg -> In verrijking.');
    expect(toWinAnsi('≥ 3 · 10\u202f:00\tuur')).toBe('>= 3 · 10 :00 uur');
    expect(toWinAnsi('Łódź 🚨')).toBe('?ód? ?');
  });
});
