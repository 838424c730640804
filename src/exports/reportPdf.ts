// A confidential report as a PDF: a dossier for hand-over or an inzageverzoek, the minutes of an overleg. Every page
// carries the footer (who, when, for whom, on what basis), and the first page says the content is confidential.
import PDFDocument from 'pdfkit';

export interface ReportSection {
  heading: string;
  facts?: { label: string; value: string }[];
  lines?: string[];
  entries?: { heading: string; text: string; meta: string }[];
}

export interface ReportPdf {
  title: string;
  subtitle: string;
  sections: ReportSection[];
  footer: string;
}

const MARGIN = 50;

// The standard Helvetica writes WinAnsi only: Latin-1 and these few. Anything else would come out garbled.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const SPELLED: Record<string, string> = { '→': '->', '←': '<-', '⇒': '=>', '≤': '<=', '≥': '>=', '\u2011': '-', '\u2009': ' ', '\u202f': ' ', '\u200b': '', '\t': ' ', '\r': '' };

/** A moment as the reports write it, in Dutch and Dutch time: "27 november 2026 om 14:05". */
export const reportStamp = (at: Date): string => new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(at);

/** Text as the standard fonts can write it: arrows and the like spelled out, anything else outside WinAnsi as '?'. */
export function toWinAnsi(text: string): string {
  return Array.from(text, (c) => {
    const code = c.codePointAt(0) ?? 0;
    if (c === '\n' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(c)) return c;
    return SPELLED[c] ?? '?';
  }).join('');
}

export function renderReportPdf(report: ReportPdf, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const w = toWinAnsi;
  const d: ReportPdf = {
    title: w(report.title), subtitle: w(report.subtitle), footer: w(report.footer),
    sections: report.sections.map((s) => ({
      heading: w(s.heading), facts: s.facts?.map((f) => ({ label: w(f.label), value: w(f.value) })), lines: s.lines?.map(w),
      entries: s.entries?.map((e) => ({ heading: w(e.heading), text: w(e.text), meta: w(e.meta) })),
    })),
  };
  const doc = new PDFDocument({ size: 'A4', margins: { top: MARGIN, bottom: MARGIN + 20, left: MARGIN, right: MARGIN }, compress: opts.compress ?? true,
    info: { Title: d.title, Subject: 'Weerbaar', Producer: 'Weerbaar' }, bufferPages: true });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const heading = (text: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(text).moveDown(0.3).font('Helvetica').fontSize(10);

  doc.font('Helvetica-Bold').fontSize(18).text(d.title);
  doc.font('Helvetica').fontSize(11).fillColor('#444444').text(d.subtitle).fillColor('black');
  doc.moveDown(0.5).fontSize(9).fillColor('#a00000').text('VERTROUWELIJK - bevat persoonsgegevens van strafrechtelijke aard. Niet verder verspreiden.').fillColor('black');
  for (const section of d.sections) {
    if ((section.facts?.length ?? 0) + (section.lines?.length ?? 0) + (section.entries?.length ?? 0) === 0) continue;
    heading(section.heading);
    for (const f of section.facts ?? []) doc.font('Helvetica-Bold').text(`${f.label}: `, { continued: true }).font('Helvetica').text(f.value);
    for (const line of section.lines ?? []) doc.text(line);
    for (const e of section.entries ?? []) {
      doc.font('Helvetica-Bold').text(e.heading).font('Helvetica').text(e.text).fillColor('#555555').fontSize(8).text(e.meta).fillColor('black').fontSize(10).moveDown(0.4);
    }
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.height - MARGIN;
    doc.fontSize(7).fillColor('#555555').text(`${d.footer}  ·  pagina ${i + 1} van ${range.count}`, MARGIN, bottom, { width: doc.page.width - 2 * MARGIN, lineBreak: false, height: 10 });
  }
  doc.end();
  return done;
}
