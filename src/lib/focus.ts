/**
 * A Svelte action: focus the element when it appears, so that a keyboard or screen-reader user who
 * just sent a form lands on what the form answered (an error summary, a confirmation) instead of
 * wherever the removed button left them. Give the element tabindex="-1".
 */
export function focusOnMount(node: HTMLElement): void {
	node.focus();
}
