package io.kafkaworker.observation;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * Starts the span of a lane-batch call as a CONSUMER span linked to the trace of each of
 * its records, as OpenTelemetry's messaging conventions describe for batches: one call
 * cannot have every record's producer as parent.
 *
 * <p>
 * Micrometer Tracing's own handlers cannot add links, and its {@code Propagator} extracts
 * a header only into a span builder, not into a context to link to; so this handler reads
 * the W3C {@code traceparent} header itself (the propagation Spring Boot configures by
 * default). Records without a valid one are not linked.
 */
public class BatchLinksTracingObservationHandler implements TracingObservationHandler<BatchObservationContext> {

	/**
	 * The order of this handler among tracing handlers: before Spring Boot's, which would
	 * otherwise start an unlinked span.
	 */
	public static final int ORDER = 500;

	// version-traceid-spanid-flags,
	// https://www.w3.org/TR/trace-context/#traceparent-header
	private static final Pattern TRACEPARENT = Pattern
		.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

	private static final String INVALID_TRACE_ID = "0".repeat(32);

	private static final String INVALID_SPAN_ID = "0".repeat(16);

	private final Tracer tracer;

	/**
	 * Create the handler.
	 * @param tracer the application's tracer
	 */
	public BatchLinksTracingObservationHandler(Tracer tracer) {
		this.tracer = tracer;
	}

	@Override
	public void onStart(BatchObservationContext context) {
		Span.Builder builder = this.tracer.spanBuilder().name(getSpanName(context)).kind(Span.Kind.CONSUMER);
		Span parent = getParentSpan(context);
		if (parent != null) {
			builder.setParent(parent.context());
		}
		else {
			builder.setNoParent();
		}
		for (ConsumerRecord<?, ?> record : context.getRecords()) {
			TraceContext linked = traceparent(record);
			if (linked != null) {
				builder.addLink(new Link(linked));
			}
		}
		getTracingContext(context).setSpan(builder.start());
	}

	@Override
	public void onStop(BatchObservationContext context) {
		Span span = getRequiredSpan(context);
		span.name(getSpanName(context));
		tagSpan(context, span);
		endSpan(context, span);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof BatchObservationContext;
	}

	@Override
	public Tracer getTracer() {
		return this.tracer;
	}

	private @Nullable TraceContext traceparent(ConsumerRecord<?, ?> record) {
		Header header = record.headers().lastHeader("traceparent");
		if (header == null || header.value() == null) {
			return null;
		}
		Matcher matcher = TRACEPARENT.matcher(new String(header.value(), StandardCharsets.UTF_8).trim());
		if (!matcher.matches() || matcher.group(1).equals(INVALID_TRACE_ID)
				|| matcher.group(2).equals(INVALID_SPAN_ID)) {
			return null;
		}
		boolean sampled = (Integer.parseInt(matcher.group(3), 16) & 1) == 1;
		return this.tracer.traceContextBuilder()
			.traceId(matcher.group(1))
			.spanId(matcher.group(2))
			.sampled(sampled)
			.build();
	}

}
