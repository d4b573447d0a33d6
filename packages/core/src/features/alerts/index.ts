// The alerts feature's public face: exactly the names @teamstate/core exports from it.
export type { AlertSent, AlertSettings, Alerts, AlertsPass } from './alerts-api.js';
export type { DigestPosted, DigestSettings } from './alerts-digest.js';
