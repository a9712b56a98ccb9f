import fc from 'fast-check';
import type { Fields } from './http';

/** Values a hostile client sends: the usual suspects, then random text of every kind. */

export const NASTY = [
	'',
	' ',
	'\u0000',
	'a\u0000b',
	'\u0000\u0000\u0000',
	'\r\n',
	'x\r\nSet-Cookie: fuzz=1',
	'\t\v\f',
	'\u0007\u001b[31m',
	'__proto__',
	'constructor',
	'prototype',
	'toString',
	'hasOwnProperty',
	'{"__proto__":{"polluted":1}}',
	'%',
	'%zz',
	'%c0%ae',
	'%00',
	'%0d%0a',
	'../../../../etc/passwd',
	'<script>alert(1)</script>',
	"' or 1=1 --",
	'"; drop table providers; --',
	'\u202eevil',
	'\ufeff',
	'\ud800',
	'\udfff',
	'𝕏𝕐',
	'👩‍⚕️',
	'ｎａｍｅ',
	'-1',
	'0',
	'-0',
	'1e309',
	'NaN',
	'Infinity',
	'-Infinity',
	'2147483648',
	'-2147483649',
	'9007199254740993',
	'99999999999999999999999',
	'0x10',
	'1.5',
	'١٢٣',
	'true',
	'null',
	'undefined',
	'[object Object]',
	'on'
] as const;

export const nasty = fc.constantFrom(...NASTY);

/** Control characters, NUL, CR and LF among them. */
export const controlText = fc.string({
	unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)),
	minLength: 1,
	maxLength: 8
});

/** A long value: past every field's limit, in one-, two- and four-byte characters and NULs. */
export const longText = fc
	.tuple(fc.integer({ min: 120, max: 6000 }), fc.constantFrom('x', 'é', '𝕏', '\u0000', 'a '))
	.map(([n, c]) => c.repeat(n));

export const numberish = fc.oneof(
	fc.integer().map(String),
	fc.double().map(String),
	fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
	fc.integer({ min: 0, max: 100 }).map((n) => ` ${n} `)
);

export const hostileText = fc.oneof(
	{ weight: 4, arbitrary: nasty },
	{ weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
	{ weight: 2, arbitrary: controlText },
	{ weight: 2, arbitrary: numberish },
	{ weight: 1, arbitrary: longText }
);

/** A form field's value: one value, a repeated field (an array for a scalar), or missing. */
export type FormValue = string | string[] | null;

export const hostileValue: fc.Arbitrary<FormValue> = fc.oneof(
	{ weight: 6, arbitrary: hostileText },
	{ weight: 1, arbitrary: fc.array(hostileText, { minLength: 2, maxLength: 4 }) },
	{ weight: 1, arbitrary: fc.constant(null) }
);

/** Field names no form has: prototype keys, odd names, random text. */
export const noiseName = fc.oneof(
	fc.constantFrom(
		'__proto__',
		'constructor',
		'prototype',
		'__proto__.polluted',
		'constructor.prototype.polluted',
		'toString',
		'valueOf',
		'',
		'a[b]',
		'routes.__proto__',
		'routes.constructor.priceMin',
		'choice.__proto__',
		'listing',
		'errors'
	),
	fc.string({ maxLength: 12 })
);

export interface FormCase {
	fields: Fields;
	/** The field values as the form sent them (for the schema oracles). */
	values: Record<string, FormValue>;
	encoding: 'urlencoded' | 'multipart';
	enhanced: boolean;
}

/**
 * A form built on `valid`, with at least one field given one of its `breakers` (values the
 * field must refuse), other fields sometimes made hostile, extra fields with odd names, and
 * fields repeated. Whether the result is really invalid is for the caller's oracle to decide.
 */
export function formCase(
	valid: Record<string, string | string[]>,
	breakers: Record<string, fc.Arbitrary<FormValue>>,
	options: { hostileOthers?: boolean } = {}
): fc.Arbitrary<FormCase> {
	const names = Object.keys(breakers);
	const known = new Set([...Object.keys(valid), ...names]);
	return fc
		.record({
			broken: fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 3 }),
			others: fc.array(fc.tuple(fc.constantFrom(...Object.keys(valid)), hostileValue), {
				maxLength: options.hostileOthers === false ? 0 : 3
			}),
			noise: fc.array(
				fc.tuple(
					noiseName.filter((n) => !known.has(n)),
					hostileText
				),
				{ maxLength: 3 }
			),
			encoding: fc.constantFrom('urlencoded' as const, 'multipart' as const),
			enhanced: fc.boolean()
		})
		.chain((r) =>
			fc
				.tuple(...r.broken.map((name) => breakers[name]!.map((v) => [name, v] as const)))
				.map((brokenPairs) => {
					const values: Record<string, FormValue> = { ...valid };
					for (const [name, value] of r.others) {
						if (!r.broken.includes(name)) values[name] = value;
					}
					for (const [name, value] of brokenPairs) values[name] = value;
					const fields: Fields = [];
					for (const [name, value] of Object.entries(values)) {
						if (value === null) continue;
						for (const v of [value].flat()) fields.push([name, v]);
					}
					for (const [name, value] of r.noise) fields.push([name, value]);
					return { fields, values, encoding: r.encoding, enhanced: r.enhanced };
				})
		);
}

/** A FormData from fields, as the server's `request.formData()` gives it. */
export function formDataOf(fields: Fields): FormData {
	const form = new FormData();
	for (const [name, value] of fields) form.append(name, value);
	return form;
}

/**
 * Path segments a router must survive: NUL, bad percent-encoding, traversal, huge, empty-ish.
 * Never `.`/`..` (or `%2e%2e`): the client folds those away before sending.
 */
export const hostileSegment = fc
	.oneof(
		{
			weight: 4,
			arbitrary: fc.constantFrom(
				'%00',
				'a%00b',
				'%zz',
				'%',
				'%c0%ae',
				'%c0%af',
				'%ff',
				'%e2%80%ae',
				'%0d%0aX:1',
				'%0a',
				'..%2f..%2fadmin',
				'%2f%2fevil.example',
				'__proto__',
				'constructor',
				'prototype',
				'%5c%5cevil.example',
				'%20',
				'-',
				'a--b',
				'UPPER-case',
				'1',
				'0',
				'-1',
				'2147483648',
				'99999999999999999999',
				'1e3',
				'0x1',
				'x'.repeat(2500),
				'%F0%9D%95%8F',
				"'",
				'%22%3E%3Cscript%3E',
				';drop',
				'%7B%7D'
			)
		},
		{ weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent) },
		{
			weight: 1,
			arbitrary: fc
				.string({ unit: 'binary', minLength: 1, maxLength: 8 })
				.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, 'x')))
		},
		{
			weight: 1,
			arbitrary: fc.string({ minLength: 1, maxLength: 16 }).map((s) => s.replace(/[/?#\\\s]/g, '%'))
		}
	)
	.filter((s) => !/^(\.|%2e){1,2}$/i.test(s));

/** Query strings with raw (possibly broken) percent-encoding. */
export function hostileQuery(names: readonly string[]): fc.Arbitrary<string> {
	const name = fc.oneof(
		{ weight: 4, arbitrary: fc.constantFrom(...names) },
		{ weight: 1, arbitrary: noiseName.map(encodeURIComponent) },
		{ weight: 1, arbitrary: fc.constantFrom('%zz', '%', '%00', '__proto__', 'constructor') }
	);
	const value = fc.oneof(
		{
			weight: 3,
			arbitrary: hostileText.map((v) => encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '\ufffd')))
		},
		{
			weight: 2,
			arbitrary: fc.constantFrom('%', '%zz', '%c0%ae', '%00', '%0d%0a', '%ff%fe', '+', '%2B')
		},
		{ weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((s) => s.replace(/[#&\s]/g, '%')) }
	);
	return fc
		.array(fc.tuple(name, value), { minLength: 1, maxLength: 5 })
		.map((pairs) => pairs.map(([n, v]) => `${n}=${v}`).join('&'));
}

/** JSON values a rating endpoint must refuse or survive: wrong types, prototype keys, nesting. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
	value: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		{ weight: 4, arbitrary: hostileText },
		{
			weight: 2,
			arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(1e308), fc.constant(-0))
		},
		{ weight: 1, arbitrary: fc.constantFrom(true, false, null) },
		{ weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
		{
			weight: 1,
			arbitrary: fc.dictionary(noiseName, tie('value'), { maxKeys: 3 })
		}
	)
})).value;
