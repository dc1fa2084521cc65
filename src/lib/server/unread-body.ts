/**
 * A request body that nothing read: an action that refused before reading its form (no right to
 * it, the session gone), the staff area turning a visitor away, a post to a page without actions.
 *
 * SvelteKit's Node adapter starts reading every body, pauses after the first chunk until someone
 * reads on, and so keeps Node from discarding the rest itself (sveltejs/kit#14916, still so in kit
 * 2.70.4). A body larger than what Node has read ahead by then (about 128 KB on Node 20) stops the
 * keep-alive connection: the next request on it (a browser following the redirect, a proxy reusing
 * its upstream connection) waits for the keep-alive timeout (5 s) and is then reset. Reading the
 * body to its end and dropping it keeps the connection usable; it runs after the answer is made,
 * never delaying it.
 */
export function discardUnreadBody(request: Request): void {
	const body = request.body;
	if (!body || request.bodyUsed || body.locked) return;
	const reader = body.getReader();
	const drop = async () => {
		while (!(await reader.read()).done);
	};
	// Over BODY_SIZE_LIMIT, or the client gone: the stream ends in an error, the adapter drops the rest.
	drop().catch(() => {});
}
