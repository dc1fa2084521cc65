/** QR codes as inline SVG (no script, no external request: fine under the portal's CSP). */
import QRCode from 'qrcode';

/** The SVG is hidden from screen readers: the element around it carries the role and the name. */
export async function qrSvg(text: string): Promise<string> {
	const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
	return svg.replace('<svg ', '<svg aria-hidden="true" focusable="false" ');
}
