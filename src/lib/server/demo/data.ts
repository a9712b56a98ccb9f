import type { ConditionCode } from '../../domain/conditions';
import type { RatingFacts } from '../../domain/feedback';
import type { ProviderKind } from '../../domain/kinds';
import type { RouteCode } from '../../domain/routes';
import type { StateCode } from '../../domain/states';

/**
 * The demo directory's data: its shapes, and the names, streets, populations and comments the
 * generator (./generate.ts) draws from with a fixed seed. Changing anything here changes the demo
 * providers and ratings that the tests and the browser suite rely on.
 */

export interface DemoRoute {
	route: RouteCode;
	priceMin: number | null;
	priceMax: number | null;
	seriesPrice: number | null;
}

export interface DemoProvider {
	slug: string;
	name: string;
	kinds: ProviderKind[];
	description: string;
	website: string;
	phone: string;
	email: string;
	street: string;
	city: string;
	state: StateCode;
	zip: string;
	lat: number;
	lng: number;
	consultFee: number | null;
	acceptsInsurance: boolean;
	insuranceNotes: string | null;
	offersPsychotherapy: boolean;
	lastVerifiedAt: Date;
	routes: DemoRoute[];
	telehealthStates: StateCode[];
	conditions: ConditionCode[];
}

export interface DemoRating extends RatingFacts {
	conditions: ConditionCode[];
	monthsInTreatment: number | null;
	comment: string | null;
	createdAt: Date;
}

/** Rough 2020 census populations in millions: where demo clinics cluster, as real ones do. */
export const POPULATION: Record<StateCode, number> = {
	AL: 5.0,
	AK: 0.7,
	AZ: 7.2,
	AR: 3.0,
	CA: 39.5,
	CO: 5.8,
	CT: 3.6,
	DE: 1.0,
	DC: 0.7,
	FL: 21.5,
	GA: 10.7,
	HI: 1.5,
	ID: 1.8,
	IL: 12.8,
	IN: 6.8,
	IA: 3.2,
	KS: 2.9,
	KY: 4.5,
	LA: 4.7,
	ME: 1.4,
	MD: 6.2,
	MA: 7.0,
	MI: 10.1,
	MN: 5.7,
	MS: 3.0,
	MO: 6.2,
	MT: 1.1,
	NE: 2.0,
	NV: 3.1,
	NH: 1.4,
	NJ: 9.3,
	NM: 2.1,
	NY: 20.2,
	NC: 10.4,
	ND: 0.8,
	OH: 11.8,
	OK: 4.0,
	OR: 4.2,
	PA: 13.0,
	RI: 1.1,
	SC: 5.1,
	SD: 0.9,
	TN: 6.9,
	TX: 29.1,
	UT: 3.3,
	VT: 0.6,
	VA: 8.6,
	WA: 7.7,
	WV: 1.8,
	WI: 5.9,
	WY: 0.6
};

export const IN_PERSON_TOTAL = 560;
export const TELEHEALTH_TOTAL = 40;
export const VERIFIED_BEFORE = Date.UTC(2026, 9, 1);

export const NAME_PREFIXES = [
	'Serenity',
	'Clear Path',
	'New Dawn',
	'Bright Horizons',
	'Renew',
	'Evergreen',
	'Summit',
	'Harbor',
	'Lumen',
	'Northstar',
	'Cedar',
	'Riverstone',
	'Kindred',
	'Stillwater',
	'Beacon',
	'Meridian',
	'Willow',
	'Aspen',
	'Haven',
	'Mosaic',
	'Sage',
	'Lotus',
	'True North',
	'Open Sky',
	'Keystone',
	'Tidewater',
	'Juniper',
	'Solace',
	'Greenleaf',
	'Lighthouse'
];
export const CLINIC_CORES = [
	'Ketamine Clinic',
	'Infusion Center',
	'Ketamine & Wellness',
	'Mind Health',
	'Infusion Therapy'
];
export const KAP_CORES = [
	'Psychedelic Therapy',
	'Ketamine-Assisted Psychotherapy',
	'Integrative Psychiatry',
	'Counseling Collective'
];
export const SPRAVATO_CORES = [
	'Psychiatry',
	'Behavioral Health',
	'TMS & Spravato Center',
	'Mental Health Associates'
];
export const TELE_NAMES = [
	'Kindling',
	'Quiet Shore',
	'Greenway',
	'Tall Pines',
	'Wellbridge',
	'Ember Health',
	'Calm Current',
	'Home Harbor',
	'Kind Mind',
	'Quiet Hours',
	'Brightside Ketamine',
	'Lantern',
	'Pathlight',
	'Steady Ground',
	'Tranquil',
	'Unwind',
	'Horizon Home',
	'Cascade Care',
	'Clarity At Home',
	'Restful',
	'Sunrise Virtual',
	'Elevate Mind',
	'Anchorpoint',
	'Gentle Reset',
	'Inner Compass',
	'Waypoint',
	'Bluebird',
	'Northwind',
	'Oasis Virtual',
	'Meadow',
	'Nimbus',
	'Tandem',
	'Cove',
	'Polaris',
	'Solstice',
	'Arbor',
	'Kestrel',
	'Fathom',
	'Lumina',
	'Trellis'
];
export const STREETS = [
	'Main St',
	'Oak Ave',
	'Maple Dr',
	'Park Blvd',
	'Cedar Ln',
	'Washington St',
	'Lake Rd',
	'Hillcrest Ave',
	'Medical Center Dr',
	'Commerce Way',
	'Elm St',
	'Riverside Dr'
];
export const SECONDARY_CONDITIONS: ConditionCode[] = [
	'suicidal_ideation',
	'bipolar_2',
	'ptsd',
	'anxiety',
	'ocd',
	'rumination',
	'substance_use',
	'chronic_pain',
	'panic',
	'intrusive_thoughts',
	'mood_instability',
	'bipolar_1'
];

export const GOOD_COMMENTS = [
	'The staff explained every step and checked my blood pressure throughout. I felt safe.',
	'After the third infusion the fog started lifting. Still early days, but I am hopeful.',
	'Calm room, eye mask and music offered. The nurse stayed close the whole time.',
	'They screened me carefully first and were honest that it might not work for me.',
	'Integration sessions afterwards made the biggest difference for me.'
];
export const MIXED_COMMENTS = [
	'Helped my mood for a couple of weeks, then it faded. Boosters are expensive.',
	'Good care overall, but the consult felt rushed and I had to ask about side effects myself.',
	'Nausea the first time; they offered medication for it the next session.'
];
export const POOR_COMMENTS = [
	'Hard to reach anyone between sessions when I had questions.',
	'Nobody asked about my heart history before dosing. That worried me.',
	'Messages went unanswered for days after a difficult session.',
	'The price went up after I had already started the series.'
];
