import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { Logger } from '@teamstate/core';
import type { Io } from '../io.js';
import { VERSION } from '../version.js';
import type { RouteHandler } from './create-http-server.js';
import { guardMetrics } from './metrics-access.js';

/** What {@link startTelemetry} turned on. */
export interface CliTelemetry {
  /** `GET /metrics` in the Prometheus text format, with `--metrics`. */
  readonly metricsRoute?: RouteHandler;
  /** Flushes and stops the exporters (spans and metrics not sent yet are sent). */
  shutdown(): Promise<void>;
}

const OFF: CliTelemetry = { shutdown: async () => {} };

/**
 * Registers an OpenTelemetry SDK for this process, before the `TeamState` opens (its instruments are created then):
 * with `prometheus`, a Prometheus reader served at `/metrics` (to the bearer of `metricsToken` when given); with `TEAMSTATE_OTEL=1`, OTLP/HTTP exporters for
 * traces and metrics, configured by the standard `OTEL_EXPORTER_OTLP_*` variables (endpoint, headers) and
 * `OTEL_SERVICE_NAME`. Neither: nothing is loaded, and every span and measurement stays a no-op.
 */
export async function startTelemetry(
  io: Io,
  options: { prometheus: boolean; log: Logger; metricsToken?: string | undefined },
): Promise<CliTelemetry> {
  const otlp = io.env.TEAMSTATE_OTEL === '1';
  if (!otlp && !options.prometheus) return OFF;
  // Loaded only when asked for: other commands and runs without telemetry do not pay for the SDK.
  const [{ context, metrics, trace }, { MeterProvider, PeriodicExportingMetricReader }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/resources'),
  ]);
  const resource = resourceFromAttributes({ 'service.name': io.env.OTEL_SERVICE_NAME || 'teamstate', 'service.version': VERSION });
  const readers: MetricReader[] = [];
  const stops: (() => Promise<void>)[] = [];
  let metricsRoute: RouteHandler | undefined;

  if (options.prometheus) {
    const { PrometheusExporter } = await import('@opentelemetry/exporter-prometheus');
    // Served on teamstate's own HTTP server (its host, port and limits), not on a second port.
    const exporter = new PrometheusExporter({ preventServerStart: true });
    readers.push(exporter);
    const scrape = async (request: IncomingMessage, response: ServerResponse) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET' }).end();
        return;
      }
      exporter.getMetricsRequestHandler(request, response);
    };
    // Behind the metrics token, or (without one) for this machine only (docs/observability.md).
    metricsRoute = guardMetrics(scrape, options.metricsToken);
  }
  if (otlp) {
    const [
      { OTLPMetricExporter },
      { OTLPTraceExporter },
      { BasicTracerProvider, BatchSpanProcessor },
      { AsyncLocalStorageContextManager },
    ] = await Promise.all([
      import('@opentelemetry/exporter-metrics-otlp-http'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/context-async-hooks'),
    ]);
    readers.push(new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() }));
    // Active spans follow async calls, so a tool call's span holds the proposal and execution it caused.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
    trace.setGlobalTracerProvider(tracerProvider);
    stops.push(() => tracerProvider.shutdown());
  }
  const meterProvider = new MeterProvider({ resource, readers });
  metrics.setGlobalMeterProvider(meterProvider);
  stops.push(() => meterProvider.shutdown());
  options.log.debug('telemetry on', { prometheus: options.prometheus, otlp });
  return {
    ...(metricsRoute ? { metricsRoute } : {}),
    async shutdown() {
      for (const stop of stops) {
        try {
          await stop();
        } catch (error) {
          options.log.warn(`telemetry: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
  };
}
