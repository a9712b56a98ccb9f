import type { ConditionCode } from './conditions';
import type { FeedbackBrief, FeedbackSummary } from './feedback';
import type { SummaryKey } from './provider-fields';
import type { ProviderKind, ProviderStatus } from './kinds';
import type { NewPatients } from './new-patients';
import type { RouteCode } from './routes';
import type { StateCode } from './states';

/**
 * The provider record: what a listing holds (as providers submit it, moderators edit it and CSV
 * rows carry it) and what only the directory sets (slug, map point, status, verification). The
 * listing schema (src/lib/schemas/listing.ts) parses into `Listing`; src/lib/server/providers/
 * loads and writes records; src/lib/domain/provider-fields.ts turns them into every output shape.
 */

/** One route of administration a provider offers; prices in whole US dollars. */
export interface RouteOffer {
	code: RouteCode;
	priceMin?: number;
	priceMax?: number;
	/** A whole series (e.g. six infusions). */
	seriesPrice?: number;
	notes?: string;
}

export interface Listing {
	name: string;
	kinds: ProviderKind[];
	description: string;
	street?: string;
	city: string;
	state: StateCode;
	zip: string;
	phone?: string;
	website?: string;
	/** The public email; the private contact of a request is not part of the listing. */
	email?: string;
	/** In display order (ROUTES). */
	routes: RouteOffer[];
	/** USD per consultation. */
	consultFee?: number;
	acceptsInsurance: boolean;
	insuranceNotes?: string;
	/** Psychotherapy or integration sessions alongside the medicine. */
	offersPsychotherapy: boolean;
	acceptingNewPatients: NewPatients;
	/** `YYYY-MM-DD`: when the answer was last given; absent exactly when it is `unknown`. */
	acceptingConfirmedOn?: string;
	/** Sorted; only telehealth providers have any. */
	telehealthStates: StateCode[];
	/** In CONDITIONS order. */
	conditions: ConditionCode[];
}

/** What the directory sets about a listing: where it is, at which address, and its standing. */
export interface Placement {
	slug: string;
	lat: number;
	lng: number;
	status: ProviderStatus;
	lastVerifiedAt: Date | null;
}

export interface ProviderRecord extends Placement {
	id: number;
	/** Demo rows are labelled in the UI and removable in one statement. */
	isDemo: boolean;
	/** Raised by one on every write to the provider (docs/decisions/012-no-lost-updates.md). */
	version: number;
	updatedAt: Date;
	listing: Listing;
}

// Views: what pages show (src/lib/domain/provider-shapes.ts makes them) -------------------------

/** A route as a card shows it: absent prices are null. */
export interface RouteOfferSummary {
	code: RouteCode;
	priceMin: number | null;
	priceMax: number | null;
}

export interface RouteDetail extends RouteOfferSummary {
	seriesPrice: number | null;
	notes: string | null;
}

/** A listing's fields as pages show them: every one present, "not given" as null. */
type Shown<L> = {
	[K in keyof L]-?: undefined extends L[K] ? Exclude<L[K], undefined> | null : L[K];
};
type ShownListing = Shown<Omit<Listing, 'routes'>>;

/** A card, a map popup, an API list entry. */
export interface ProviderSummary extends Pick<ShownListing, Exclude<SummaryKey, 'routes'>> {
	slug: string;
	lat: number;
	lng: number;
	isDemo: boolean;
	routes: RouteOfferSummary[];
	feedback: FeedbackBrief;
}

/** The profile page: every field, absent ones as null. */
export interface ProviderProfile extends ShownListing {
	id: number;
	slug: string;
	lat: number;
	lng: number;
	isDemo: boolean;
	lastVerifiedAt: Date | null;
	updatedAt: Date;
	routes: RouteDetail[];
	feedback: FeedbackSummary;
	heldCount: number;
}
