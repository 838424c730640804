// The dossier as a PDF for hand-over to a partner or an inzageverzoek. Every page carries who exported it, when,
// for whom and on what legal basis.
import PDFDocument from 'pdfkit';

export interface DossierPdf {
  title: string;
  subtitle: string;
  facts: { label: string; value: string }[];
  subjects: string[];
  history: { at: string; text: string }[];
  journal: { sequence: number; heading: string; text: string; meta: string }[];
  footer: string;
}

const MARGIN = 50;

export function renderDossierPdf(d: DossierPdf, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: MARGIN, bottom: MARGIN + 20, left: MARGIN, right: MARGIN }, compress: opts.compress ?? true,
    info: { Title: d.title, Subject: 'Weerbaar dossier', Producer: 'Weerbaar' }, bufferPages: true });
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
  heading('Gegevens');
  for (const f of d.facts) doc.font('Helvetica-Bold').text(`${f.label}: `, { continued: true }).font('Helvetica').text(f.value);
  if (d.subjects.length > 0) {
    heading('Betrokkenen');
    for (const s of d.subjects) doc.text(`- ${s}`);
  }
  if (d.history.length > 0) {
    heading('Statusgeschiedenis');
    for (const h of d.history) doc.text(`${h.at}  ${h.text}`);
  }
  heading('Journaal');
  for (const e of d.journal) {
    doc.font('Helvetica-Bold').text(`#${e.sequence} ${e.heading}`).font('Helvetica').text(e.text).fillColor('#555555').fontSize(8).text(e.meta).fillColor('black').fontSize(10).moveDown(0.4);
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
