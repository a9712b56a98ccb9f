/**
 * A form's fields as a page re-renders them after a failed submit: one string per field, or the
 * list of strings for a field sent several times (checkboxes). Files are left out.
 */
export type FormValues = Record<string, string | string[]>;

export function formValues(form: FormData): FormValues {
	const values: FormValues = {};
	for (const [key, value] of form) {
		if (typeof value !== 'string') continue;
		const seen = values[key];
		values[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
	}
	return values;
}

/** A field's values as a list, whether it came once (a string) or several times. */
export function listOf(value: unknown): string[] {
	if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
	return typeof value === 'string' ? [value] : [];
}
