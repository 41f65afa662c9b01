import { mount } from 'svelte';
import './app.css';
import App from './app/App.svelte';

async function start() {
  // Outside Tauri (`npm run dev` in a browser, or `vite build --mode preview`)
  // there is no Rust side: answer the commands with the test fixture.
  // Both branches are removed from the production build.
  if ((import.meta.env.DEV || import.meta.env.MODE === 'preview') && !('__TAURI_INTERNALS__' in window)) {
    const { installPreviewIpc } = await import('./test/preview');
    installPreviewIpc();
  }
  const target = document.getElementById('app');
  if (!target) throw new Error('#app missing from index.html');
  mount(App, { target });
}

void start();
