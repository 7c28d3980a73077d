// Not a proxy: the load goes straight to the backend (the limit). Nothing to start.
export {};
