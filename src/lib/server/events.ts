import { EventEmitter } from 'node:events';

/**
 * What writers announce after a commit. Caches built from the data (the map's clusters, the state
 * matrix, rendered pages) listen, so writers never import them. `providers` covers listings (the
 * provider row and everything shown with it); `feedback` covers ratings and their aggregates.
 */
export type Change = 'providers' | 'feedback';

const emitter = new EventEmitter();
emitter.setMaxListeners(50);
const CHANGED = 'changed';

/** Call after a transaction that changed `what` has committed. */
export function changed(what: Change): void {
	emitter.emit(CHANGED, what);
}

/** Runs `listener` after every committed change, whatever changed; returns the unsubscribe. */
export function onChange(listener: (what: Change) => void): () => void {
	emitter.on(CHANGED, listener);
	return () => emitter.off(CHANGED, listener);
}

/** Call after a transaction that changed providers has committed. */
export function providersChanged(): void {
	changed('providers');
}

/** Call after a transaction that changed ratings or their aggregates has committed. */
export function feedbackChanged(): void {
	changed('feedback');
}

/** Runs `listener` after every committed change to providers; returns the unsubscribe. */
export function onProvidersChanged(listener: () => void): () => void {
	return onChange((what) => {
		if (what === 'providers') listener();
	});
}
