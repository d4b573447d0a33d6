import { metrics, type ObservableCallback } from '@opentelemetry/api';
import { INSTRUMENTATION_SCOPE } from '../../kernel/telemetry/telemetry.js';
import type { SpendLedger } from './spend-ledger.js';

/**
 * Registers `teamstate.spend.usd` (Prometheus `teamstate_spend_usd{month}`) on the global meter provider: the
 * month's spend, read from the ledger at each collection. No-op without an SDK. Returns what unregisters it.
 */
export function registerSpendGauge(ledger: SpendLedger): () => void {
  const gauge = metrics.getMeter(INSTRUMENTATION_SCOPE).createObservableGauge('teamstate.spend.usd', {
    description: "What teamstate's own paid calls cost this month (US dollars; months in UTC)",
  });
  // A failed read (a closing store) reports nothing for that collection rather than failing the scrape.
  const observe: ObservableCallback = async (result) => {
    const month = await ledger.month().catch(() => undefined);
    if (month) result.observe(month.usd, { month: month.month });
  };
  gauge.addCallback(observe);
  return () => gauge.removeCallback(observe);
}
