import { defineConfig } from 'drizzle-kit';

// One migration journal for the whole store: the shared records' tables and every feature's.
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./src/records/schema.ts', './src/services/*/schema.ts', './src/features/*/schema.ts'],
  out: './drizzle',
});
