import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Pagination from './Pagination.svelte';

const text = (html: string) =>
	html
		.replace(/<!--.*?-->/g, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();

function at(page: number, total: number) {
	const url = new URL(`http://x/?route=iv&page=${page}`);
	return render(Pagination, { props: { url, page, pageSize: 20, total } }).body;
}

describe('Pagination', () => {
	it('numbers the pages it has', () => {
		expect(text(at(2, 617))).toBe('← Previous Page 2 of 31 Next →');
	});

	it('never says “Page 999 of 31”: past the end it offers the last page', () => {
		const body = at(999, 617);
		expect(text(body)).not.toMatch(/Page 999/);
		expect(text(body)).toContain('Past the last page: there are 31 pages');
		expect(body).toContain('href="/?route=iv&amp;page=31"');
		expect(text(body)).toContain('Last page (31)');
		// One page of results: the last page is the first, with no page parameter.
		const single = at(5, 3);
		expect(text(single)).toContain('there is 1 page');
		expect(single).toContain('href="/?route=iv"');
	});

	it('shows nothing for one page or no result', () => {
		expect(text(at(1, 20))).toBe('');
		expect(text(at(3, 0))).toBe('');
	});
});
