import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** `pnpm dev`: Vite on :5173 with the API (npm start's, on :3000) behind /api. */
export default defineConfig({
  root: __dirname,
  plugins: [react()],
  // The admin page's chunk carries the charts (recharts, ~525 KB); it loads only when an admin opens it.
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: {
    port: 5173,
    proxy: { "/api": { target: process.env.COFFER_API_ORIGIN ?? "http://127.0.0.1:3000", changeOrigin: false } },
  },
});
