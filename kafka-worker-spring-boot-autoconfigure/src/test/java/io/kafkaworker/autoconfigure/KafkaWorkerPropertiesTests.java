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
import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.Mode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.util.StringUtils;
import org.springframework.util.backoff.BackOff;

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

	// The hints' name for the properties of every worker (no standard name exists for the
	// properties of a map's values, see spring-boot#9945).
	private static final String WORKERS = PREFIX + "workers.*.";

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
	void everyPropertyHasADescription() throws IOException {
		assertThat(metadata()).isNotEmpty()
			.allSatisfy((name, property) -> assertThat((String) property.get("description")).as(name).isNotBlank());
	}

	@ParameterizedTest
	@ValueSource(strings = { DEFAULTS, WORKERS })
	void metadataOffersOnlyTheModesAndDeliveriesThatStartupAccepts(String prefix) throws IOException {
		Map<String, Map<String, Object>> hints = hints();
		assertThat(hintedValues(hints, prefix + "mode"))
			.containsOnlyKeys(Arrays.stream(Mode.values())
				.filter((mode) -> mode != Mode.DEFAULT)
				.map(Mode::name)
				.toArray(String[]::new))
			.allSatisfy((value, description) -> assertThat(description).as(value).isNotBlank());
		assertThat(hintedValues(hints, prefix + "delivery"))
			.containsOnlyKeys(Arrays.stream(Delivery.values())
				.filter((delivery) -> delivery != Delivery.DEFAULT)
				.map(Delivery::name)
				.toArray(String[]::new))
			.allSatisfy((value, description) -> assertThat(description).as(value).isNotBlank());
	}

	@ParameterizedTest
	@ValueSource(strings = { DEFAULTS, WORKERS })
	void metadataOffersThrowableClassesAndBackOffBeans(String prefix) throws IOException {
		Map<String, Map<String, Object>> hints = hints();
		assertThat(provider(hints, prefix + "retry.non-retryable-exceptions")).containsEntry("name", "class-reference")
			.extractingByKey("parameters")
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("target", Throwable.class.getName());
		assertThat(provider(hints, prefix + "retry.backoff.bean")).containsEntry("name", "spring-bean-reference")
			.extractingByKey("parameters")
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("target", BackOff.class.getName());
	}

	@Test
	void additionalMetadataStatesNoDefaults() throws IOException {
		// Defaults are the field initializers, which the configuration processor reads.
		List<URL> resources = Collections
			.list(getClass().getClassLoader().getResources("META-INF/additional-spring-configuration-metadata.json"));
		assertThat(resources).isNotEmpty();
		for (URL resource : resources) {
			try (InputStream content = resource.openStream()) {
				List<String> withDefaults = JsonPath.parse(content).read("$..[?(@.defaultValue)].name", List.class);
				assertThat(withDefaults).as(resource.toString()).noneMatch((name) -> name.startsWith(PREFIX));
			}
		}
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

	// A hint's values and their descriptions.
	@SuppressWarnings("unchecked")
	private static Map<String, String> hintedValues(Map<String, Map<String, Object>> hints, String name) {
		assertThat(hints).containsKey(name);
		Map<String, String> values = new LinkedHashMap<>();
		for (Map<String, Object> value : (List<Map<String, Object>>) hints.get(name).get("values")) {
			values.put((String) value.get("value"), (String) value.get("description"));
		}
		return values;
	}

	// A hint's only provider.
	@SuppressWarnings("unchecked")
	private static Map<String, Object> provider(Map<String, Map<String, Object>> hints, String name) {
		assertThat(hints).containsKey(name);
		List<Map<String, Object>> providers = (List<Map<String, Object>>) hints.get(name).get("providers");
		assertThat(providers).as(name).hasSize(1);
		return providers.get(0);
	}

	// The generated metadata's kafka.worker.* properties, by name.
	private Map<String, Map<String, Object>> metadata() throws IOException {
		return metadata("properties");
	}

	// The generated metadata's kafka.worker.* hints, by name.
	private Map<String, Map<String, Object>> hints() throws IOException {
		return metadata("hints");
	}

	// The kafka.worker.* entries of a section of every generated metadata file on the
	// class path, by name.
	@SuppressWarnings("unchecked")
	private Map<String, Map<String, Object>> metadata(String section) throws IOException {
		Map<String, Map<String, Object>> entries = new LinkedHashMap<>();
		Enumeration<URL> resources = getClass().getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json");
		for (URL resource : Collections.list(resources)) {
			try (InputStream content = resource.openStream()) {
				Map<String, Object> metadata = JsonPath.parse(content).read("$", Map.class);
				for (Map<String, Object> entry : (List<Map<String, Object>>) metadata.getOrDefault(section,
						List.of())) {
					String name = (String) entry.get("name");
					if (name.startsWith(PREFIX)) {
						entries.put(name, entry);
					}
				}
			}
		}
		return entries;
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
