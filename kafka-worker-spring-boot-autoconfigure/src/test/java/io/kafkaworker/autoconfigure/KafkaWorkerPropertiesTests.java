package io.kafkaworker.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link KafkaWorkerProperties}.
 */
class KafkaWorkerPropertiesTests {

	private static final String PREFIX = "kafka.worker.";

	private static final String DEFAULTS = PREFIX + "defaults.";

	@Test
	void metadataDefaultValuesAreConsistent() throws IOException {
		Map<String, Map<String, Object>> metadata = metadata();
		assertThat(metadata).containsKeys(DEFAULTS + "mode", DEFAULTS + "retry.backoff.initial");
		BeanWrapper properties = new BeanWrapperImpl(new KafkaWorkerProperties());
		metadata.forEach((name, property) -> {
			String path = path(name.substring(PREFIX.length()));
			Object value = properties.getPropertyValue(path);
			Object metadataDefault = property.get("defaultValue");
			if (metadataDefault == null) {
				assertThat(isUnset(value)).as("%s is %s in the code and has no default in the metadata", name, value)
					.isTrue();
			}
			else {
				assertThat(value).as("%s in the code and in the metadata", name)
					.isEqualTo(ApplicationConversionService.getSharedInstance()
						.convert(metadataDefault, properties.getPropertyType(path)));
			}
		});
	}

	@Test
	void workerShouldStartWithEverySettingOfTheDefaultsUnset() throws IOException {
		BeanWrapper worker = new BeanWrapperImpl(new KafkaWorkerProperties.Worker());
		List<String> settings = metadata().keySet()
			.stream()
			.filter((name) -> name.startsWith(DEFAULTS))
			.map((name) -> path(name.substring(DEFAULTS.length())))
			.toList();
		assertThat(settings).contains("concurrency", "deadLetter.sendTimeout");
		assertThat(settings).allSatisfy((path) -> assertThat(isUnset(worker.getPropertyValue(path))).as(path).isTrue());
	}

	@Test
	void deadLetterTopicSuffixIsSpringKafkasDefault() {
		KafkaOperations<Object, Object> template = mock();
		given(template.send(any(ProducerRecord.class))).willReturn(new CompletableFuture<>());
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template);
		recoverer.setFailIfSendResultIsError(false);
		recoverer.accept(new ConsumerRecord<>("orders", 0, 0L, "key", "value"), null, new IllegalStateException());
		ArgumentCaptor<ProducerRecord<Object, Object>> sent = ArgumentCaptor.captor();
		then(template).should().send(sent.capture());
		String suffix = new KafkaWorkerProperties().getDefaults().getDeadLetter().getTopicSuffix();
		assertThat(sent.getValue().topic()).isEqualTo("orders" + suffix);
	}

	// The generated metadata's kafka.worker.* properties, by name.
	@SuppressWarnings("unchecked")
	private Map<String, Map<String, Object>> metadata() throws IOException {
		Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
		Enumeration<URL> resources = getClass().getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json");
		for (URL resource : Collections.list(resources)) {
			try (InputStream content = resource.openStream()) {
				List<Map<String, Object>> entries = JsonPath.parse(content).read("$.properties", List.class);
				for (Map<String, Object> property : entries) {
					String name = (String) property.get("name");
					if (name.startsWith(PREFIX)) {
						properties.put(name, property);
					}
				}
			}
		}
		return properties;
	}

	// The bean path of a property name relative to its group: dead-letter.send-timeout ->
	// deadLetter.sendTimeout.
	private static String path(String name) {
		return Arrays.stream(name.split("\\."))
			.map((part) -> StringUtils.uncapitalize(
					Arrays.stream(part.split("-")).map(StringUtils::capitalize).collect(Collectors.joining())))
			.collect(Collectors.joining("."));
	}

	private static boolean isUnset(Object value) {
		return value == null || (value instanceof Collection<?> collection && collection.isEmpty())
				|| (value instanceof Map<?, ?> map && map.isEmpty());
	}

}
