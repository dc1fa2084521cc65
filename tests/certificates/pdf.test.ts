/**
 * The certificate PDF as a person sees it: rasterised with pdftoppm and its QR code read back with
 * zbarimg, its text read with pdftotext. poppler-utils and zbar-tools come from Debian (`.ci/run`
 * installs them); elsewhere this is skipped loudly, and under CI their absence fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/lib/server/certificates/number';
import { certificatePdf, missingCharacters, type CertificateContent } from '../../src/lib/server/certificates/pdf';
import { because } from '../setup/skip-reason';

const tools = ['pdftoppm', 'pdftotext', 'zbarimg'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
if (tools.length) {
	if (process.env.CI) throw new Error(`CI needs ${tools.join(', ')} for the certificate PDF tests (poppler-utils, zbar-tools)`);
	console.warn(`\n!!! SKIPPED: certificate PDF rendering tests need ${tools.join(', ')} (apt-get install poppler-utils zbar-tools)\n`);
}

const content: CertificateContent = {
	number: formatNumber(2026, 4321),
	holderName: '欧阳秀英',
	courseZh: '心肺复苏与AED使用',
	courseEn: 'CPR and AED',
	trainedOn: '2026-11-20',
	issuedOn: '2026-11-26',
	validUntil: '2028-11-30',
	venueZh: '东门社区党群服务中心',
	venueEn: 'Dongmen Community Centre',
	trainer: '李建国',
	verifyUrl: 'https://jiankang.dongmen.example/verify/abcdefghijklmnopqrstuvwxyz234567'
};

describe('the certificate PDF', () => {
	it.skipIf(tools.length > 0)(
		'shows the Chinese name, the course and the number, and its QR code opens the verification page',
		because(`needs ${tools.join(', ')} (apt-get install poppler-utils zbar-tools)`),
		async () => {
			const made = await certificatePdf(content);
			if (!made.ok) throw new Error(`missing ${made.missing.join('')}`);
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-cert-'));
			try {
				const file = path.join(dir, 'certificate.pdf');
				fs.writeFileSync(file, made.pdf);
				const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
				for (const expected of ['欧阳秀英', '心肺复苏与AED使用', 'CPR and AED', content.number, '2028年11月30日', '李建国'])
					expect(text).toContain(expected);
				const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
				expect(info).toMatch(/Pages:\s+1\b/);
				expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
				// Embedded as a subset, not the 10 MB font.
				expect(made.pdf.length).toBeLessThan(150_000);
				execFileSync('pdftoppm', ['-r', '100', '-png', '-f', '1', '-l', '1', '-singlefile', file, path.join(dir, 'page')]);
				const decoded = execFileSync('zbarimg', ['--quiet', '--raw', path.join(dir, 'page.png')], { encoding: 'utf8' });
				expect(decoded.trim()).toBe(content.verifyUrl);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		}
	);

	it('refuses a name with a character the font cannot draw, instead of printing an empty box', async () => {
		expect(missingCharacters(['王秀英', '刘䶮'])).toEqual([]);
		const made = await certificatePdf({ ...content, holderName: '王\u{E000}英' });
		expect(made).toEqual({ ok: false, missing: ['\u{E000}'] });
		expect(await certificatePdf({ ...content, holderName: '张🙂' })).toEqual({ ok: false, missing: ['🙂'] });
	});
});
