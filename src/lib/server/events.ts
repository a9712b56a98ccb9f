import { EventEmitter } from 'node:events';

/**
 * What the provider writer announces after a commit. Caches built from providers (the map's
 * clusters) listen, so the writer never imports them.
 */
const emitter = new EventEmitter();
const PROVIDERS_CHANGED = 'providers-changed';

/** Call after a transaction that changed providers has committed. */
export function providersChanged(): void {
	emitter.emit(PROVIDERS_CHANGED);
}

/** Runs `listener` after every committed change to providers; returns the unsubscribe. */
export function onProvidersChanged(listener: () => void): () => void {
	emitter.on(PROVIDERS_CHANGED, listener);
	return () => emitter.off(PROVIDERS_CHANGED, listener);
}
