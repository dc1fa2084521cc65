/**
 * A minimal cookie-keeping HTTP client for server-process tests: posts forms as a browser without
 * JavaScript would (Accept: text/html, the Origin header SvelteKit's CSRF check wants), and never
 * follows redirects, so tests can assert them.
 */
export class Client {
	readonly cookies = new Map<string, string>();

	constructor(readonly baseUrl: string) {}

	private cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	private remember(response: Response): void {
		for (const line of response.headers.getSetCookie()) {
			const [pair = '', ...attributes] = line.split(';');
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const expired = attributes.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
			if (expired || value === '') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}

	async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
		const response = await fetch(new URL(path, this.baseUrl), {
			redirect: 'manual',
			headers: { accept: 'text/html', cookie: this.cookieHeader(), ...headers }
		});
		this.remember(response);
		return response;
	}

	async post(
		path: string,
		form: Record<string, string> | URLSearchParams | FormData,
		headers: Record<string, string> = {}
	): Promise<Response> {
		const body = form instanceof FormData || form instanceof URLSearchParams ? form : new URLSearchParams(form);
		const response = await fetch(new URL(path, this.baseUrl), {
			method: 'POST',
			redirect: 'manual',
			body,
			headers: { accept: 'text/html', origin: new URL(this.baseUrl).origin, cookie: this.cookieHeader(), ...headers }
		});
		this.remember(response);
		return response;
	}

	/** Logs in through the real form; returns the response (303 on success). */
	login(login: string, password: string): Promise<Response> {
		return this.post('/login', { login, password, next: '/' });
	}
}

/**
 * The headers of a form action posted by the page's own script (SvelteKit's `enhance`) for the session
 * `token`: the answer is the action's JSON (`{ type: 'success' | 'failure' | 'redirect', … }`).
 */
export function enhancedFormHeaders(origin: string, token: string): Record<string, string> {
	return {
		origin,
		cookie: `hd_session=${token}`,
		'content-type': 'application/x-www-form-urlencoded',
		accept: 'application/json',
		'x-sveltekit-action': 'true'
	};
}
