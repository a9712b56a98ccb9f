/**
 * Comments are shown as plain text, but links, email addresses and phone numbers in them are
 * usually advertising or someone's personal details: such ratings wait for a moderator.
 */
const LINK =
	/\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(?:com|net|org|io|co|us|info|biz|health|clinic)\b/i;
const EMAIL = /[^\s@]+@[^\s@]+\.[a-z]{2,}/i;
const PHONE = /(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/;

export const CONTACT_HOLD_REASON =
	'Held automatically: the comment contains a link, an email address or a phone number.';

/** True when a comment contains a web address, an email address or a phone number. */
export function hasContactDetails(comment: string | undefined | null): boolean {
	if (!comment) return false;
	return LINK.test(comment) || EMAIL.test(comment) || PHONE.test(comment);
}
