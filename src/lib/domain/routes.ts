/**
 * Routes of administration, as ../shared/DOMAIN.md defines them. The order is the display order.
 * `atHome`: whether a telehealth service can prescribe it for the patient to take at home. IV and
 * IM are given in an office; Spravato only in a certified office under observation (its REMS).
 * So a telehealth service never "offers IV in Texas" (docs/decisions/001-who-serves-a-state.md).
 */
export const ROUTES = [
	{ code: 'iv', label: 'IV infusion', short: 'IV', atHome: false },
	{ code: 'im', label: 'IM injection', short: 'IM', atHome: false },
	{ code: 'intranasal', label: 'Intranasal ketamine', short: 'Nasal', atHome: true },
	{
		code: 'esketamine',
		label: 'Spravato (esketamine) nasal spray',
		short: 'Spravato',
		atHome: false
	},
	{ code: 'troche', label: 'Troche / lozenge (sublingual)', short: 'Troche', atHome: true },
	{ code: 'rdt', label: 'Rapid-dissolve tablet', short: 'RDT', atHome: true },
	{ code: 'oral', label: 'Oral (capsule / liquid)', short: 'Oral', atHome: true },
	{ code: 'rectal', label: 'Suppository', short: 'Rectal', atHome: true },
	{ code: 'transdermal', label: 'Transdermal', short: 'Transdermal', atHome: true },
	{ code: 'nebulized', label: 'Nebulized', short: 'Nebulized', atHome: true }
] as const;

export type RouteCode = (typeof ROUTES)[number]['code'];

export const ROUTE_CODES = ROUTES.map((r) => r.code) as [RouteCode, ...RouteCode[]];

const byCode = new Map<string, (typeof ROUTES)[number]>(ROUTES.map((r) => [r.code, r]));

export function routeLabel(code: RouteCode): string {
	return byCode.get(code)?.label ?? code;
}

/** Routes a telehealth service can prescribe to be taken at home. */
export const AT_HOME_ROUTE_CODES: RouteCode[] = ROUTES.filter((r) => r.atHome).map((r) => r.code);

export function givenAtHome(code: RouteCode): boolean {
	return byCode.get(code)?.atHome ?? false;
}

/** Why a telehealth search for this route finds nothing, or null when telehealth can offer it. */
export function officeOnlyNote(code: RouteCode | undefined): string | null {
	if (!code || givenAtHome(code)) return null;
	return `${routeLabel(code)} is given in an office, so no telehealth service offers it.`;
}
