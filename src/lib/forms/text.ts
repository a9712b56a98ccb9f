/**
 * A form field as text, exactly as `String(value ?? '')` gives it: a missing field is blank, and a
 * file (which only a hand-made multipart request sends for a text field) reads "[object File]".
 */
export function fieldText(value: FormDataEntryValue | null | undefined): string {
	if (typeof value === 'string') return value;
	return value ? Object.prototype.toString.call(value) : '';
}
