/**
 * Svelte's hydration writes `value={…}` and `checked={…}` into inputs, wiping whatever a person
 * typed while the page's JavaScript was still loading (slow phones, slow networks). src/app.html
 * records those early edits; this puts them back once hydration is over, and announces them with
 * input/change events so bound state follows.
 */
type Typed = Map<HTMLInputElement | HTMLTextAreaElement, { value: string; checked: boolean }>;

export function restoreTypedBeforeHydration(): void {
	const store = window as unknown as { __typedBeforeHydration?: Typed };
	const typed = store.__typedBeforeHydration;
	store.__typedBeforeHydration = undefined;
	if (!typed) return;
	for (const [el, kept] of typed) {
		if (!el.isConnected) continue;
		const checkable =
			el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');
		if (checkable) {
			if (el.checked === kept.checked) continue;
			el.checked = kept.checked;
			el.dispatchEvent(new Event('change', { bubbles: true }));
		} else if (el.value !== kept.value) {
			el.value = kept.value;
			el.dispatchEvent(new Event('input', { bubbles: true }));
		}
	}
}
