import { geoPath } from 'd3-geo';
import type { FeatureCollection, Geometry } from 'geojson';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import { stateByFips, type StateCode } from '../domain/states';

export interface StateShape {
	code: StateCode;
	/** SVG path in the 975×610 Albers USA frame of us-atlas (Alaska and Hawaii inset). */
	d: string;
}

export const US_VIEWBOX = '0 0 975 610';

let shapes: StateShape[] | undefined;

/** State outlines for the server-rendered choropleth; built once per process. */
export function stateShapes(): StateShape[] {
	if (shapes) return shapes;
	const topology = createRequire(import.meta.url)('us-atlas/states-albers-10m.json') as Topology;
	const objects = topology.objects.states;
	if (!objects) throw new Error('us-atlas/states-albers-10m.json has no states object.');
	const states = feature(topology, objects) as FeatureCollection<Geometry>;
	const path = geoPath().digits(0);
	shapes = states.features.flatMap((f) => {
		const code = f.id === undefined ? undefined : stateByFips(f.id);
		const d = path(f);
		return code && d ? [{ code, d }] : [];
	});
	return shapes;
}
