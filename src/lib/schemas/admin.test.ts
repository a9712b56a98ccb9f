import { describe, expect, it } from 'vitest';
import { safeNext } from './admin';

describe('where sign-in returns to', () => {
	it.each([
		'/admin',
		'/admin/',
		'/admin/requests?status=pending',
		'/admin/providers/12?q=caf%C3%A9'
	])('%s, a path in the admin area, is kept', (next) => expect(safeNext(next)).toBe(next));

	it.each([
		null,
		'',
		'/admin/\r\nX-Injected: 1',
		'/admin/\u0000',
		'/admin/\nlocation: https://evil.example',
		'/admin\\@evil.example',
		'/admin/\\\\evil.example',
		'//evil.example/admin',
		'https://evil.example/admin',
		'/administrator',
		'/admin/caf\u00e9',
		'/admin/ spaced',
		'/' + 'admin/'.repeat(500)
	])('%j goes to /admin instead', (next) => expect(safeNext(next)).toBe('/admin'));
});
