import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { startTelemetry, tracingConfigured } from '../../src/telemetry/bootstrap.js';
import { traceLogFields } from '../../src/telemetry/log-fields.js';

describe('telemetry bootstrap', () => {
  it('turns tracing on with an OTLP endpoint only, and OTEL_SDK_DISABLED=true wins', () => {
    assert.equal(tracingConfigured({}), false);
    assert.equal(tracingConfigured({ OTEL_SERVICE_NAME: 'x' }), false);
    assert.equal(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }), true);
    assert.equal(
      tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }),
      true,
    );
    assert.equal(
      tracingConfigured({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_SDK_DISABLED: 'TRUE',
      }),
      false,
    );
    assert.equal(
      tracingConfigured({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_SDK_DISABLED: 'false',
      }),
      true,
    );
  });

  it('starts nothing when unset: the API stays a no-op and log lines get no trace fields', async () => {
    const saved = { ...process.env };
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    try {
      const telemetry = await startTelemetry();
      assert.equal(telemetry.enabled, false);
      const span = trace.getTracer('test').startSpan('probe');
      assert.equal(span.isRecording(), false);
      trace.getTracer('test').startActiveSpan('active', (active) => {
        assert.deepEqual(traceLogFields(), {});
        active.end();
      });
      await telemetry.shutdown();
    } finally {
      process.env = saved;
    }
  });
});
