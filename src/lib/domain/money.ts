const usd = new Intl.NumberFormat('en-US', {
	style: 'currency',
	currency: 'USD',
	maximumFractionDigits: 0
});

export function formatUsd(amount: number): string {
	return usd.format(amount);
}

/** "$400–$650", "$400", "from $400", "up to $650", or null when nothing is known. */
export function formatPriceRange(min: number | null, max: number | null): string | null {
	if (min == null && max == null) return null;
	if (min != null && max != null)
		return min === max ? formatUsd(min) : `${formatUsd(min)}–${formatUsd(max)}`;
	if (min != null) return `from ${formatUsd(min)}`;
	return `up to ${formatUsd(max as number)}`;
}
