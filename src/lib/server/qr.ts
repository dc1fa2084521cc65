/** QR codes as inline SVG (no script, no external request: fine under the portal's CSP). */
import QRCode from 'qrcode';

export function qrSvg(text: string): Promise<string> {
	return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
