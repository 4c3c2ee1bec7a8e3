import { defineConfig } from "vite";

// The bundle goes straight into the server's web root, which is git-ignored: the server project's
// build (MarketStream.Server.csproj, target BuildWebFrontEnd) runs `npm run build` when it is
// missing or older than these sources.
export default defineConfig({
  build: {
    // Relative to this folder (Vite's root).
    outDir: "../MarketStream.Server/wwwroot",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `npm run dev` against a server on the default port: /ws and /api go to it.
    proxy: {
      "/ws": { target: "ws://127.0.0.1:5080", ws: true },
      "/api": "http://127.0.0.1:5080",
    },
  },
});
