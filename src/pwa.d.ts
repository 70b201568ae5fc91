// Types for the virtual modules of vite-plugin-pwa (registerSW from 'virtual:pwa-register').
/// <reference types="vite-plugin-pwa/client" />
