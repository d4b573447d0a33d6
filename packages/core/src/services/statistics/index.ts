// Resampling statistics several features report with (seeded, so a figure is the same on every run).
export * from './bootstrap.js';
