import { describe, expect, it } from 'vitest';
import { cleanSearch, readableForm } from './request-guard';

const PAGE = 'http://localhost/list-your-practice';

function post(url: string, body: BodyInit, contentType?: string): Request {
	const headers = new Headers();
	if (contentType) headers.set('content-type', contentType);
	return new Request(url, { method: 'POST', body, headers });
}

async function refusalOf(request: Request) {
	const result = await readableForm(request, new URL(request.url));
	return 'refusal' in result ? result.refusal : null;
}

describe('form posts the app cannot read', () => {
	it.each(['__proto__', 'constructor', 'toString', 'default', 'has space', 'x'.repeat(60)])(
		'?/%s names no action: 404',
		async (name) => {
			const refusal = await refusalOf(
				post(`${PAGE}?/${name}`, 'a=1', 'application/x-www-form-urlencoded')
			);
			expect(refusal).toMatchObject({ status: 404, code: 'no_such_action' });
		}
	);

	it.each([
		['text/plain', 'a=1'],
		['application/json', '{"a":1}'],
		[undefined, 'a=1']
	])('a %s body is not a form: 415', async (type, body) => {
		const refusal = await refusalOf(post(PAGE, body, type));
		expect(refusal).toMatchObject({ status: 415, code: 'unsupported_media_type' });
		expect(refusal?.message).toMatch(/multipart\/form-data/);
	});

	it('a multipart body that does not parse: 400', async () => {
		const refusal = await refusalOf(post(PAGE, 'garbage', 'multipart/form-data; boundary=zzz'));
		expect(refusal).toMatchObject({ status: 400, code: 'unreadable_form' });
	});

	it('a body that fails with 413 while it is read: 413', async () => {
		const failing = new ReadableStream({
			start(controller) {
				controller.error(Object.assign(new Error('too large'), { status: 413 }));
			}
		});
		const request = new Request(PAGE, {
			method: 'POST',
			body: failing,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			duplex: 'half'
		} as RequestInit);
		expect(await refusalOf(request)).toMatchObject({ status: 413, code: 'too_large' });
	});

	it('a readable form passes untouched, and its action can still read it', async () => {
		const request = post(
			`${PAGE}?/save`,
			'name=Ana&city=Austin',
			'application/x-www-form-urlencoded'
		);
		const result = await readableForm(request, new URL(request.url));
		expect(result).toEqual({ request });
		expect(Object.fromEntries(await request.formData())).toEqual({ name: 'Ana', city: 'Austin' });
	});
});

describe('the one text cleaning', () => {
	it('removes control characters from every field of a form, keeping line breaks and files', async () => {
		const form = new FormData();
		form.append('name', 'Calm\u0000 Clinic\u0007');
		form.append('notes', 'line one\r\nline\ttwo');
		form.append('file', new File(['a,b\n1,2'], 'list.csv', { type: 'text/csv' }));
		const request = post(PAGE, form);
		const result = await readableForm(request, new URL(request.url));
		if (!('request' in result)) throw new Error('refused');
		const read = await result.request.formData();
		expect(read.get('name')).toBe('Calm Clinic');
		expect(read.get('notes')).toBe('line one\r\nline\ttwo');
		const file = read.get('file');
		expect(file).toBeInstanceOf(File);
		expect(await (file as File).text()).toBe('a,b\n1,2');
	});

	it('cleans url-encoded forms too', async () => {
		const request = post(
			PAGE,
			'contactName=Ana%00%01&website=https%3A%2F%2Fa.example%00',
			'application/x-www-form-urlencoded'
		);
		const result = await readableForm(request, new URL(request.url));
		if (!('request' in result)) throw new Error('refused');
		expect(Object.fromEntries(await result.request.formData())).toEqual({
			contactName: 'Ana',
			website: 'https://a.example'
		});
	});

	it('cleans query strings in place, names and values', () => {
		const url = new URL('http://localhost/?q=a%00b&city=%1BAustin&zip=78701');
		cleanSearch(url);
		expect([...url.searchParams]).toEqual([
			['q', 'ab'],
			['city', 'Austin'],
			['zip', '78701']
		]);
	});
});
