package io.kafkaworker.state;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.util.ClassUtils;

/**
 * How table keys and values of a type are kept in a table topic: with Kafka's own serde
 * for the types it has one for (String, Long, Integer, Double, byte[], UUID...), and as
 * JSON (Jackson, without type headers) for the others.
 */
public final class TableSerdes {

	private TableSerdes() {
	}

	/**
	 * Return the serde of a type.
	 * @param type the type
	 * @return its serde
	 * @throws IllegalStateException for a JSON type without Jackson
	 */
	@SuppressWarnings("unchecked")
	public static Serde<Object> forType(Class<?> type) {
		try {
			return (Serde<Object>) Serdes.serdeFrom(type);
		}
		catch (IllegalArgumentException ex) {
			return Json.serde(type);
		}
	}

	// Loaded only for JSON values, so that Jackson stays optional.
	private static final class Json {

		private static final boolean PRESENT = ClassUtils.isPresent("tools.jackson.databind.ObjectMapper",
				TableSerdes.class.getClassLoader());

		@SuppressWarnings("unchecked")
		static Serde<Object> serde(Class<?> type) {
			if (!PRESENT) {
				throw new IllegalStateException("Table values of type " + type.getName() + " are kept as JSON, but "
						+ "Jackson (tools.jackson.core:jackson-databind) is not on the class path: add Jackson, or use "
						+ "values Kafka has a serde for (String, Long, Integer, Double, byte[], UUID...)");
			}
			JacksonJsonSerializer<Object> serializer = new JacksonJsonSerializer<>();
			serializer.setAddTypeInfo(false);
			JacksonJsonDeserializer<Object> deserializer = new JacksonJsonDeserializer<>((Class<Object>) type);
			deserializer.setUseTypeHeaders(false);
			return Serdes.serdeFrom(serializer, deserializer);
		}

	}

}
