package io.kafkaworker.container;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.kafkaworker.annotation.WorkerMethod;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.state.GroupTable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.support.KafkaNull;
import org.springframework.kafka.support.converter.RecordMessageConverter;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Calls the user's {@code @KafkaBatchWorker} method with the argument its signature asks
 * for: a record, a payload, or a list of either; and the row of the record's key in the
 * worker's group table when the method takes one, whose change is written when the method
 * returns.
 *
 * <p>
 * Payloads are passed as deserialized when they already have the declared type. Otherwise
 * the record message converter of the listener container factory converts them (for
 * example Spring Kafka's JSON converter turning a {@code String} into an {@code Order}),
 * as {@code @KafkaListener} does.
 */
final class HandlerMethodInvoker {

	private static final LogAccessor LOGGER = new LogAccessor(HandlerMethodInvoker.class);

	private static final String[] DESERIALIZER_EXCEPTION_HEADERS = {
			SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER,
			SerializationUtils.KEY_DESERIALIZER_EXCEPTION_HEADER };

	private final WorkerMethod workerMethod;

	private final Class<?> payloadClass;

	private final @Nullable RecordMessageConverter converter;

	// The worker's group table, when the method takes a row of it.
	private final @Nullable GroupTable table;

	HandlerMethodInvoker(WorkerMethod workerMethod, @Nullable RecordMessageConverter converter,
			@Nullable GroupTable table) {
		this.workerMethod = workerMethod;
		this.table = table;
		this.payloadClass = ClassUtils.resolvePrimitiveIfNecessary(workerMethod.payloadType().toClass());
		this.converter = converter;
		// Accessible even when public: Method.invoke then skips its access check on
		// every call (finding the caller's class), 3 % of a lane thread's CPU samples at
		// zero work (P2). Where it cannot be (a module that does not open the package),
		// Spring's makeAccessible does what it did before.
		if (!workerMethod.method().trySetAccessible()) {
			ReflectionUtils.makeAccessible(workerMethod.method());
		}
	}

	/**
	 * Invoke the method for the records of one call.
	 * @param items the records, one for single-record signatures
	 * @return null, or the acknowledgment of the row's change the record must wait for
	 * @throws Exception whatever the method throws, or a conversion failure
	 */
	@Nullable CompletableFuture<?> invoke(List<WorkItem> items) throws Exception {
		for (WorkItem item : items) {
			throwIfNotDeserialized(item.record());
		}
		Object argument = switch (this.workerMethod.signature()) {
			case RECORD -> items.get(0).record();
			case PAYLOAD -> payload(items.get(0).record());
			case RECORD_LIST -> records(items);
			case PAYLOAD_LIST -> payloads(items);
		};
		GroupTable.Row row = (this.table != null) ? this.table.row(items.get(0).record()) : null;
		if (row == null) {
			invoke(new Object[] { argument });
			return null;
		}
		try {
			invoke(new Object[] { argument, row });
			// Part of the call: a write the table refuses at once fails the call, which
			// then retries or meets the failure policy like any other failure.
			return row.flush();
		}
		finally {
			row.close();
		}
	}

	private void invoke(Object[] arguments) throws Exception {
		try {
			this.workerMethod.method().invoke(this.workerMethod.bean(), arguments);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	// With ErrorHandlingDeserializer (which workers use by default), a record that could
	// not be deserialized arrives with a null key or value and the failure in a header:
	// the handler must not see it, the failure policy must.
	private static void throwIfNotDeserialized(ConsumerRecord<Object, Object> record) {
		for (String header : DESERIALIZER_EXCEPTION_HEADERS) {
			if (record.headers().lastHeader(header) != null) {
				DeserializationException failure = SerializationUtils.getExceptionFromHeader(record, header, LOGGER);
				if (failure != null) {
					throw failure;
				}
			}
		}
	}

	private static List<ConsumerRecord<Object, Object>> records(List<WorkItem> items) {
		List<ConsumerRecord<Object, Object>> records = new ArrayList<>(items.size());
		for (WorkItem item : items) {
			records.add(item.record());
		}
		return records;
	}

	private List<@Nullable Object> payloads(List<WorkItem> items) {
		List<@Nullable Object> payloads = new ArrayList<>(items.size());
		for (WorkItem item : items) {
			payloads.add(payload(item.record()));
		}
		return payloads;
	}

	private @Nullable Object payload(ConsumerRecord<Object, Object> record) {
		Object value = record.value();
		if (value == null || this.payloadClass.isInstance(value)) {
			return value;
		}
		Object converted = (this.converter != null)
				? this.converter.toMessage(record, null, null, this.workerMethod.payloadType().getType()).getPayload()
				: value;
		if (converted instanceof KafkaNull) {
			return null;
		}
		if (!this.payloadClass.isInstance(converted)) {
			throw new MessageConversionException("Value of " + record.topic() + "-" + record.partition() + "@"
					+ record.offset() + " is a " + value.getClass().getName() + " and cannot be passed as "
					+ this.payloadClass.getName() + " to " + this.workerMethod.description()
					+ "; configure a value deserializer (spring.kafka.consumer.value-deserializer) or a "
					+ "RecordMessageConverter bean that produces it");
		}
		return converted;
	}

}
