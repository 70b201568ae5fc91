// Entry point: mounts the studio and registers the service worker that makes it work offline.
import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import App from './App.svelte';
import { offline } from './lib/state/offline.svelte.ts';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('Missing #app element in index.html');

mount(App, { target });

// The plugin is configured with injectRegister: false, so registration happens here. In dev there is no
// service worker; `offline.ready` then stays false and the sidebar says so.
if ('serviceWorker' in navigator) {
  registerSW({
    immediate: true,
    onOfflineReady: () => offline.markReady(),
    onRegisteredSW: (_url, registration) => {
      if (registration?.active) offline.markReady();
    },
    onRegisterError: (error: unknown) => offline.markFailed(error),
  });
  void navigator.serviceWorker.ready.then((registration) => {
    if (registration.active) offline.markReady();
  });
}
