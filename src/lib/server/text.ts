/** What free text may hold, for the form fields and for names read from uploaded files alike. */

/**
 * Invisible formatting: direction marks, embeddings, overrides and isolates (U+061C, U+200E/F,
 * U+202A–202E, U+2066–2069), zero-width characters and joiners (U+200B–200D, U+2060–2064, U+FEFF).
 * In a name or a note shown to others they can make text read other than it is stored ("Trojan
 * Source"-style spoofing), so they are refused, never silently removed. Passwords may hold them.
 */
export const INVISIBLE_FORMATTING = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
