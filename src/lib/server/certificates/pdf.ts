/**
 * The certificate as a PDF: A4 landscape, Chinese first with English, a QR code to the
 * public verification page. The Noto Sans SC fonts (SIL Open Font License) are read and parsed once
 * per process and embedded as a subset of the characters each certificate uses (pdfkit with
 * fontkit 2; see TRAPS.md on why not pdf-lib). Before anything is drawn, every character must exist
 * in the font: a name the font cannot show is refused, never printed as an empty box.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

type Font = ReturnType<typeof fontkit.create> & { hasGlyphForCodePoint(cp: number): boolean };

let fonts: { regular: Font; bold: Font } | undefined;

function loadFonts(): { regular: Font; bold: Font } {
	if (fonts) return fonts;
	const require = createRequire(import.meta.url);
	const open = (file: string) => fontkit.create(fs.readFileSync(require.resolve(`@expo-google-fonts/noto-sans-sc/${file}`))) as Font;
	fonts = { regular: open('400Regular/NotoSansSC_400Regular.ttf'), bold: open('700Bold/NotoSansSC_700Bold.ttf') };
	return fonts;
}

/** The characters of `texts` that the certificate's fonts cannot draw (each once, in order). */
export function missingCharacters(texts: string[]): string[] {
	const { regular, bold } = loadFonts();
	const missing = new Set<string>();
	for (const text of texts)
		for (const ch of text) {
			const cp = ch.codePointAt(0)!;
			if (/\s/u.test(ch)) continue;
			if (!regular.hasGlyphForCodePoint(cp) || !bold.hasGlyphForCodePoint(cp)) missing.add(ch);
		}
	return [...missing];
}

export type CertificateContent = {
	number: string;
	holderName: string;
	courseZh: string;
	courseEn: string;
	/** Dates as YYYY-MM-DD (Shanghai). */
	trainedOn: string;
	issuedOn: string;
	validUntil: string;
	venueZh: string;
	venueEn: string;
	trainer: string;
	verifyUrl: string;
	/** The number of the certificate this one replaces, if any. */
	replaces?: string | null;
};

/** Every text the PDF draws, for the character check. */
export function certificateTexts(c: CertificateContent): string[] {
	return [c.number, c.holderName, c.courseZh, c.courseEn, c.venueZh, c.venueEn, c.trainer, c.verifyUrl, c.replaces ?? '', ...FIXED];
}

const ISSUER_ZH = '深圳市罗湖区东门街道办事处';
const ISSUER_EN = 'Dongmen Subdistrict Office, Luohu District, Shenzhen';
const FIXED = [
	'健康东门 Healthy Dongmen',
	'First-Aid Training Certificate',
	'兹证明',
	'This is to certify that',
	'参加了以下培训，考核合格。',
	'completed the following training and passed its assessment.',
	'培训日期 Date of training',
	'培训地点 Venue',
	'培训师 Trainer',
	'发证日期 Issued',
	'有效期至 Valid until',
	'证书编号 Number',
	'扫码验证 Scan to verify',
	'补发，替代 Re-issued; replaces',
	ISSUER_ZH,
	ISSUER_EN,
	'0123456789年月日 JanFebMarAprMayJunJulAugSepOctNovDec,'
];

const GREEN = '#1d6b45';
const INK = '#1f2623';
const MUTED = '#5b635f';

function zhDate(date: string): string {
	const [y, m, d] = date.split('-').map(Number);
	return `${y}年${m}月${d}日`;
}

function enDate(date: string): string {
	const [y, m, d] = date.split('-').map(Number);
	return `${d} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m! - 1]} ${y}`;
}

/** Draws the QR code as vector squares (sharp when printed, a few hundred bytes). */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
	const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
	const count = qr.modules.size;
	const quiet = 2;
	const cell = size / (count + quiet * 2);
	doc.save().rect(x, y, size, size).fill('#ffffff');
	for (let row = 0; row < count; row++)
		for (let col = 0; col < count; col++)
			if (qr.modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell + 0.02, cell + 0.02);
	doc.fill('#000000').restore();
}

/** The PDF, or the characters that stopped it (nothing is drawn then). */
export async function certificatePdf(c: CertificateContent): Promise<{ ok: true; pdf: Buffer } | { ok: false; missing: string[] }> {
	return certificatesPdf([c], `急救培训合格证书 First-Aid Training Certificate ${c.number}`);
}

/**
 * Several certificates in one PDF, one per page (a class printed at once): the fonts are embedded
 * once for all of them. Refused whole when any page holds a character the font lacks.
 */
export async function certificatesPdf(
	pages: CertificateContent[],
	title: string
): Promise<{ ok: true; pdf: Buffer } | { ok: false; missing: string[] }> {
	const missing = missingCharacters(pages.flatMap(certificateTexts));
	if (missing.length) return { ok: false, missing };
	const { regular, bold } = loadFonts();
	const doc = new PDFDocument({
		size: 'A4',
		layout: 'landscape',
		margin: 0,
		autoFirstPage: false,
		info: { Title: title, Author: ISSUER_EN, Subject: pages[0]?.courseEn ?? '' },
		pdfVersion: '1.7'
	});
	doc.registerFont('regular', regular as unknown as PDFKit.Mixins.PDFFontSource);
	doc.registerFont('bold', bold as unknown as PDFKit.Mixins.PDFFontSource);
	const chunks: Buffer[] = [];
	doc.on('data', (chunk: Buffer) => chunks.push(chunk));
	const done = new Promise<Buffer>((resolve, reject) => {
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
	});

	for (const c of pages) {
		doc.addPage();
		drawCertificate(doc, c);
	}
	doc.end();
	return { ok: true, pdf: await done };
}

function drawCertificate(doc: PDFKit.PDFDocument, c: CertificateContent): void {
	const W = doc.page.width;
	const H = doc.page.height;
	doc
		.rect(24, 24, W - 48, H - 48)
		.lineWidth(3)
		.stroke(GREEN);
	doc
		.rect(34, 34, W - 68, H - 68)
		.lineWidth(0.8)
		.stroke(GREEN);

	const centre = (font: 'regular' | 'bold', size: number, text: string, y: number, colour = INK) =>
		doc
			.font(font)
			.fontSize(size)
			.fillColor(colour)
			.text(text, 60, y, { width: W - 120, align: 'center', lineBreak: false });

	centre('regular', 13, '健康东门 Healthy Dongmen', 62, GREEN);
	centre('bold', 34, '急救培训合格证书', 84);
	centre('regular', 16, 'First-Aid Training Certificate', 128, MUTED);
	centre('regular', 14, '兹证明  This is to certify that', 170, MUTED);
	centre('bold', 30, c.holderName, 192);
	centre('regular', 14, '参加了以下培训，考核合格。', 238, MUTED);
	centre('regular', 12, 'completed the following training and passed its assessment.', 258, MUTED);
	centre('bold', 20, c.courseZh, 284, GREEN);
	centre('regular', 14, c.courseEn, 312, GREEN);

	const rows: [string, string][] = [
		['培训日期 Date of training', `${zhDate(c.trainedOn)}  ${enDate(c.trainedOn)}`],
		['培训地点 Venue', c.venueZh === c.venueEn ? c.venueZh : `${c.venueZh}  ${c.venueEn}`],
		['培训师 Trainer', c.trainer],
		['发证日期 Issued', `${zhDate(c.issuedOn)}  ${enDate(c.issuedOn)}`],
		['有效期至 Valid until', `${zhDate(c.validUntil)}  ${enDate(c.validUntil)}`],
		['证书编号 Number', c.number]
	];
	let y = 356;
	for (const [label, value] of rows) {
		doc.font('regular').fontSize(10.5).fillColor(MUTED).text(label, 90, y, { width: 160, lineBreak: false });
		doc
			.font(label.startsWith('证书编号') ? 'bold' : 'regular')
			.fontSize(11.5)
			.fillColor(INK)
			.text(value, 250, y - 1, { width: 330, height: 16, lineBreak: false, ellipsis: true });
		y += 22;
	}
	if (c.replaces)
		doc
			.font('regular')
			.fontSize(9)
			.fillColor(MUTED)
			.text(`补发，替代 Re-issued; replaces ${c.replaces}`, 90, y + 2, { lineBreak: false });

	const qrSize = 128;
	const qrX = W - 90 - qrSize;
	const qrY = 350;
	drawQr(doc, c.verifyUrl, qrX, qrY, qrSize);
	doc
		.font('regular')
		.fontSize(9.5)
		.fillColor(MUTED)
		.text('扫码验证 Scan to verify', qrX - 20, qrY + qrSize + 4, { width: qrSize + 40, align: 'center' });

	doc
		.font('regular')
		.fontSize(11)
		.fillColor(INK)
		.text(ISSUER_ZH, 60, H - 92, { width: W - 120, align: 'center', lineBreak: false });
	doc
		.font('regular')
		.fontSize(9)
		.fillColor(MUTED)
		.text(ISSUER_EN, 60, H - 74, { width: W - 120, align: 'center', lineBreak: false });
}
