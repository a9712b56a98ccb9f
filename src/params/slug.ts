import type { ParamMatcher } from '@sveltejs/kit';

/**
 * A provider slug as the directory makes them (letters, digits and hyphens; capitals too, which
 * redirect to the lower-case address): anything else — a NUL byte, a line break, a space, 5,000
 * characters — is no provider's address, so it is a 404 before any query runs.
 */
export const match: ParamMatcher = (param) => /^[A-Za-z0-9-]{1,200}$/.test(param);
