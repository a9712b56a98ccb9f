import { z } from 'zod';
import { PROVIDER_KIND_CODES, PROVIDER_KINDS } from '../domain/kinds';
import { ROUTE_CODES, ROUTES } from '../domain/routes';
import { toStateCode } from '../domain/states';

const yesNo = (field: string) =>
	z
		.string()
		.trim()
		.toLowerCase()
		.transform((value, ctx) => {
			if (['yes', 'true', '1'].includes(value)) return true;
			if (['no', 'false', '0'].includes(value)) return false;
			ctx.addIssue({ code: 'custom', message: `${field} must be “yes” or “no”.` });
			return z.NEVER;
		});

export const wholeNumber = (field: string, min: number, max: number) =>
	z
		.string()
		.trim()
		.regex(/^\d+$/, `${field} must be a whole number from ${min} to ${max}.`)
		.transform(Number)
		.pipe(
			z
				.number()
				.min(min, `${field} must be at least ${min}.`)
				.max(max, `${field} must be at most ${max}.`)
		);

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Query-string filters shared by the directory pages and GET /api/providers. */
export const providerFiltersSchema = z.object({
	state: z
		.string()
		.transform((value, ctx) => {
			const code = toStateCode(value);
			if (!code) {
				ctx.addIssue({
					code: 'custom',
					message: `“${value}” is not a US state code (e.g. TX, ny, DC).`
				});
				return z.NEVER;
			}
			return code;
		})
		.optional(),
	route: z
		.enum(ROUTE_CODES, {
			error: (issue) =>
				`Unknown route of administration “${String(issue.input)}”. Use one of: ${ROUTES.map((r) => r.code).join(', ')}.`
		})
		.optional(),
	kind: z
		.enum(PROVIDER_KIND_CODES, {
			error: (issue) =>
				`Unknown provider kind “${String(issue.input)}”. Use one of: ${PROVIDER_KINDS.map((k) => k.code).join(', ')}.`
		})
		.optional(),
	telehealth: yesNo('Telehealth').optional(),
	psychotherapy: yesNo('Psychotherapy / integration').optional(),
	page: wholeNumber('Page', 1, 100_000).default(1),
	pageSize: wholeNumber('Page size', 1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE)
});

export type ProviderFilters = z.output<typeof providerFiltersSchema>;

/** /states/<code>: the state comes from the path; each group pages on its own. */
export const statePageSchema = providerFiltersSchema
	.pick({ route: true, kind: true, psychotherapy: true, page: true })
	.extend({ tpage: wholeNumber('Telehealth page', 1, 100_000).default(1) });
