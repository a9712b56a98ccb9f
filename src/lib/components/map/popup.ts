import { formatMiles } from '$lib/domain/distance';
import { kindLabel, type ProviderKind } from '$lib/domain/kinds';
import { formatPriceRange, formatUsd } from '$lib/domain/money';
import { routeLabel, type RouteCode } from '$lib/domain/routes';
import type { StateCode } from '$lib/domain/states';
import { directionsUrl } from '$lib/map/view';
import { MARKER_LABEL, type PointProps } from './markers';

/** What a popup fills in from the provider API, once opened. */
type ProfileForPopup = {
	kinds: ProviderKind[];
	street: string | null;
	city: string;
	state: StateCode;
	zip: string;
	routes: { code: RouteCode; priceMin: number | null; priceMax: number | null }[];
	feedback: {
		count: number;
		averageRating: number | null;
		label: string;
		cautions: { text: string }[];
	};
};

/** What a popup says about price: the chosen route's, or the lowest listed. */
function priceText(routes: ProfileForPopup['routes'], route: RouteCode | undefined): string {
	if (route) {
		const offer = routes.find((r) => r.code === route);
		const price = offer && formatPriceRange(offer.priceMin, offer.priceMax);
		return `${routeLabel(route)}: ${price ? `${price} per session` : 'ask the provider'}`;
	}
	const listed = routes.map((r) => r.priceMin ?? r.priceMax).filter((p): p is number => p !== null);
	return listed.length
		? `From ${formatUsd(Math.min(...listed))} per session`
		: 'Prices: ask the provider';
}

export function popupContent(
	props: PointProps,
	{ route, originLabel }: { route?: RouteCode; originLabel?: string }
): HTMLElement {
	const root = document.createElement('div');
	root.className = 'map-popup';
	const title = document.createElement('strong');
	title.textContent = props.name;
	const kinds = document.createElement('p');
	kinds.textContent = MARKER_LABEL[props.kind] + (props.telehealth ? ' · also telehealth' : '');
	const address = document.createElement('p');
	address.className = 'popup-address';
	const distance = document.createElement('p');
	distance.className = 'popup-distance';
	if (props.distanceMiles !== undefined && originLabel) {
		distance.textContent = `${formatMiles(props.distanceMiles)} from ${originLabel}`;
	}
	const routes = document.createElement('p');
	routes.textContent = 'Loading treatments…';
	const price = document.createElement('p');
	price.className = 'popup-price';
	// Filled by the ratings feature: stars, count and effectiveness label.
	const rating = document.createElement('p');
	rating.className = 'rating-slot';
	rating.dataset.slug = props.slug;
	const links = document.createElement('p');
	links.className = 'popup-links';
	const link = document.createElement('a');
	link.href = `/providers/${props.slug}`;
	link.textContent = 'View profile';
	const method = document.createElement('a');
	method.href = '/methodology';
	method.textContent = 'How scores work';
	method.className = 'popup-method';
	links.append(link, document.createTextNode(' · '), method);
	root.append(title, kinds, address, distance, routes, price, rating, links);
	fetch(`/api/providers/${encodeURIComponent(props.slug)}`)
		.then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
		.then((p: ProfileForPopup) => {
			kinds.textContent = p.kinds.map(kindLabel).join(' · ');
			const place = `${p.city}, ${p.state} ${p.zip}`;
			address.textContent = p.street ? `${p.street}, ${place}` : place;
			routes.textContent = p.routes.map((r) => routeLabel(r.code)).join(', ');
			price.textContent = priceText(p.routes, route);
			// A plain link: nothing is asked of the maps site until the person follows it.
			const directions = document.createElement('a');
			directions.href = directionsUrl({
				street: p.street,
				city: p.city,
				state: p.state,
				zip: p.zip
			});
			directions.target = '_blank';
			directions.rel = 'noopener noreferrer external';
			directions.className = 'popup-directions';
			directions.textContent = 'Directions';
			const hidden = document.createElement('span');
			hidden.className = 'visually-hidden';
			hidden.textContent = ` to ${p.street ?? props.name} (opens a maps site in a new tab)`;
			directions.append(hidden);
			links.append(document.createTextNode(' · '), directions);
			const f = p.feedback;
			rating.textContent =
				f.count && f.averageRating !== null
					? `★ ${f.averageRating.toFixed(1)} (${f.count} ${f.count === 1 ? 'rating' : 'ratings'}) · ${f.label}`
					: 'Not Rated';
			rating.after(
				...f.cautions.map((c) => {
					const note = document.createElement('p');
					note.className = 'popup-caution';
					note.textContent = `⚠ Caution: ${c.text}`;
					return note;
				})
			);
		})
		.catch(() => {
			routes.textContent = '';
		});
	return root;
}
