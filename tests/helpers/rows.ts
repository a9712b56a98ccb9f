/**
 * Indexing that says what was missing, for `noUncheckedIndexedAccess`: a test that expected a row
 * and got none fails with a message here, not a TypeError three lines later.
 */

/** The first item; throws when there is none. */
export function first<T>(items: readonly T[], what = 'a row'): T {
	return at(items, 0, what);
}

/** The item at `index` (negative counts from the end); throws when there is none. */
export function at<T>(items: readonly T[], index: number, what = 'an item'): T {
	const item = items.at(index);
	if (item === undefined) {
		throw new Error(`Expected ${what} at index ${index}, but there are ${items.length} items.`);
	}
	return item;
}

/**
 * For a destructuring default: `const [row = missing('the new provider')] = await db.insert(…)`
 * throws a clear error when the query returned nothing.
 */
export function missing(what = 'a row'): never {
	throw new Error(`Expected ${what}, but there was none.`);
}
