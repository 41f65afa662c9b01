// Says "drawn" after the first paint, as Chamado's UI does.
requestAnimationFrame(() => setTimeout(() => window.__TAURI_INTERNALS__.invoke('ready'), 0));
