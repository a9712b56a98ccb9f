/** Routes of administration, as ../shared/DOMAIN.md defines them. The order is the display order. */
export const ROUTES = [
	{ code: 'iv', label: 'IV infusion', short: 'IV' },
	{ code: 'im', label: 'IM injection', short: 'IM' },
	{ code: 'intranasal', label: 'Intranasal ketamine', short: 'Nasal' },
	{ code: 'esketamine', label: 'Spravato (esketamine) nasal spray', short: 'Spravato' },
	{ code: 'troche', label: 'Troche / lozenge (sublingual)', short: 'Troche' },
	{ code: 'rdt', label: 'Rapid-dissolve tablet', short: 'RDT' },
	{ code: 'oral', label: 'Oral (capsule / liquid)', short: 'Oral' },
	{ code: 'rectal', label: 'Suppository', short: 'Rectal' },
	{ code: 'transdermal', label: 'Transdermal', short: 'Transdermal' },
	{ code: 'nebulized', label: 'Nebulized', short: 'Nebulized' }
] as const;

export type RouteCode = (typeof ROUTES)[number]['code'];

export const ROUTE_CODES = ROUTES.map((r) => r.code) as [RouteCode, ...RouteCode[]];

const byCode = new Map<string, (typeof ROUTES)[number]>(ROUTES.map((r) => [r.code, r]));

export function isRouteCode(value: string): value is RouteCode {
	return byCode.has(value);
}

export function routeLabel(code: RouteCode): string {
	return byCode.get(code)?.label ?? code;
}

export function routeShortLabel(code: RouteCode): string {
	return byCode.get(code)?.short ?? code;
}
