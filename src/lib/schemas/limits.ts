/**
 * The limits and choices the forms' schemas enforce, in a module without zod: pages and components
 * import them from here for their hints (maxlength, counters, options), and the schemas import
 * them too, so both always agree. A component that imported a schema module instead would load
 * zod in the browser (~25 kB gzip; decision 022).
 */

/** Search radius: the form's choices, the default and the largest the map's "Search this area" asks for. */
export const RADIUS_CHOICES = [10, 25, 50, 100, 250] as const;
export const DEFAULT_RADIUS = 50;
export const MAX_RADIUS = 500;

/**
 * `name` is the default without a place and `nearest` with one; `price` is the lowest listed
 * per-session price (for the chosen route when there is one), providers without a price last.
 */
export const SORTS = ['name', 'best', 'price', 'nearest'] as const;
export type Sort = (typeof SORTS)[number];

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Listing form: the description; the private message of a listing request. */
export const DESCRIPTION_MAX = 2000;
export const MESSAGE_MAX = 2000;

/** A problem report's note. */
export const NOTE_MAX = 1000;

/** A rating's comment. */
export const COMMENT_MAX = 2000;

/** The roles an admin can give; 'provider' accounts are not staff and are not managed here. */
export const STAFF_ROLES = ['admin', 'moderator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The shortest password an account may have; $lib/server/auth enforces it too. */
export const PASSWORD_MIN = 12;
/** argon2 hashes any length, but a cap keeps one request from costing seconds. */
export const PASSWORD_MAX_LENGTH = 200;

/** Moderators' provider pages: editorial notes and the reason given for a status change. */
export const EDITORIAL_NOTE_TITLE_MAX = 120;
export const EDITORIAL_NOTE_BODY_MAX = 2000;
export const REASON_MAX = 500;
