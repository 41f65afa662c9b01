// Svelte 5 understands <script lang="ts"> natively; no preprocessing needed.
/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {};
