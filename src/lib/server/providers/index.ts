/**
 * The provider record's one owner (docs/decisions/014-one-owner-for-the-provider-record.md):
 * its loader, its writer, its slugs, and the searches over it.
 */
export * from './filters';
export * from './near';
export * from './placement';
export * from './record';
export * from './search';
export * from './slugs';
export * from './write';
export type {
	Listing,
	Placement,
	ProviderProfile,
	ProviderRecord,
	ProviderSummary,
	RouteDetail,
	RouteOffer,
	RouteOfferSummary
} from '../../domain/provider';
