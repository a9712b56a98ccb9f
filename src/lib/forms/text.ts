/**
 * A form field as text, exactly as `String(value ?? '')` gives it: a missing field is blank, and a
 * file (which only a hand-made multipart request sends for a text field) reads "[object File]".
 */
export function fieldText(value: FormDataEntryValue | null | undefined): string {
	if (typeof value === 'string') return value;
	return value ? Object.prototype.toString.call(value) : '';
}

/**
 * Control characters (Unicode's Cc: C0, DEL, C1) that nobody types and PostgreSQL cannot store
 * (NUL) or pages cannot show; tab, line feed and carriage return stay, as text areas send them.
 */
const CONTROL = /[^\P{Cc}\t\n\r]/gu;

/**
 * The one cleaning every piece of text gets where it enters (form fields, query strings, JSON
 * bodies, CSV cells): control characters removed, nothing else changed.
 */
export function withoutControlCharacters(text: string): string {
	return text.replace(CONTROL, '');
}
