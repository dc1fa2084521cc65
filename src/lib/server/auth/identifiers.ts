/** Mainland mobile numbers and e-mail addresses, normalised the one way the database stores them. */

const PHONE = /^1[3-9]\d{9}$/;
// Deliberately loose: one @, something on each side, a dot in the domain, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** '+86 138-0013-8000', '0086 13800138000', '138 0013 8000' → '13800138000'; anything else → null. */
export function normalizePhone(raw: string): string | null {
	let digits = raw.replace(/[\s\-().]/g, '');
	if (digits.startsWith('+86')) digits = digits.slice(3);
	else if (digits.startsWith('0086')) digits = digits.slice(4);
	return PHONE.test(digits) ? digits : null;
}

export function normalizeEmail(raw: string): string | null {
	const email = raw.trim().toLowerCase();
	return email.length <= 254 && EMAIL.test(email) ? email : null;
}

export type Login = { kind: 'phone'; phone: string } | { kind: 'email'; email: string } | { kind: 'invalid'; raw: string };

/** What a person typed into the log-in field. */
export function parseLogin(raw: string): Login {
	if (raw.includes('@')) {
		const email = normalizeEmail(raw);
		return email ? { kind: 'email', email } : { kind: 'invalid', raw: raw.trim().toLowerCase() };
	}
	const phone = normalizePhone(raw);
	return phone ? { kind: 'phone', phone } : { kind: 'invalid', raw: raw.trim().toLowerCase() };
}

/** The key that throttles log-ins to one account: the same whether or not the account exists. */
export function loginKey(login: Login): string {
	return login.kind === 'phone' ? login.phone : login.kind === 'email' ? login.email : login.raw;
}
