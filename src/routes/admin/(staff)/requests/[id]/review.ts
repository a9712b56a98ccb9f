import type { PageData } from './$types';

export type Line = PageData['lines'][number];

/** A field no one touched: folded away on an update, so the changes are what one reads. */
export const quiet = (l: Line) => l.outcome === 'keep' && !l.requestedChange && !l.changedSince;

/** The id of a field's "which value" choice in the approve form. */
export const fieldId = (key: string) => `choice-${key.replace(/\./g, '-')}`;

export const STATUS: Record<string, string> = {
	published: 'published (on the site)',
	suspended: 'suspended (not on the site)',
	pending: 'pending (not on the site yet)'
};
