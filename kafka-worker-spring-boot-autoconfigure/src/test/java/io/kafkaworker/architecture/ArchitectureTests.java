package io.kafkaworker.architecture;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The package structure of docs/ARCHITECTURE.md, enforced: the engine's core is plain
 * Java, dependencies between packages flow one way, and auto-configurations follow Spring
 * Boot's own rules.
 */
class ArchitectureTests {

	private static final Set<String> INBOX_SEAM = Set.of("io.kafkaworker.container.InvocationDecorator",
			"io.kafkaworker.container.HandlerInvocation", "io.kafkaworker.container.WorkerSettings",
			"io.kafkaworker.dispatch.WorkItem");

	private static final Set<String> DELIVERY_API = Set.of("io.kafkaworker.delivery.DeliveryGuarantee",
			"io.kafkaworker.delivery.CommitProtocol", "io.kafkaworker.delivery.DeliveryGuarantees",
			"io.kafkaworker.delivery.DeliveryContext", "io.kafkaworker.delivery.ReaderEnd",
			"io.kafkaworker.delivery.ShareOutcomes", "io.kafkaworker.delivery.RevocationWait");

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.kafkaworker");

	@Test
	void packagesShouldBeFreeOfCycles() {
		check(SlicesRuleDefinition.slices().matching("io.kafkaworker.(*)..").should().beFreeOfCycles());
	}

	@Test
	void engineCoreShouldNotDependOnSpring() {
		check(ArchRuleDefinition.noClasses()
			.that()
			.resideInAnyPackage("io.kafkaworker.lane..", "io.kafkaworker.offset..", "io.kafkaworker.dispatch..",
					"io.kafkaworker.commit..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.."));
	}

	@Test
	void lanesShouldNotDependOnKafkaOrOtherPackagesOfTheEngine() {
		check(ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("io.kafkaworker.lane..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.apache.kafka..", "io.kafkaworker.offset..", "io.kafkaworker.dispatch..",
					"io.kafkaworker.commit..", "io.kafkaworker.container..", "io.kafkaworker.annotation..",
					"io.kafkaworker.delivery..", "io.kafkaworker.failure.."));
	}

	@Test
	void offsetTrackingShouldDependOnNothingElseOfTheEngine() {
		check(ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("io.kafkaworker.offset..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.kafkaworker.lane..", "io.kafkaworker.dispatch..", "io.kafkaworker.commit..",
					"io.kafkaworker.container..", "io.kafkaworker.annotation..", "io.kafkaworker.delivery..",
					"io.kafkaworker.failure.."));
	}

	@Test
	void readModelShouldDependOnNoOtherPackageOfTheEngine() {
		check(ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("io.kafkaworker.runtime..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.kafkaworker.container..", "io.kafkaworker.autoconfigure..",
					"io.kafkaworker.annotation..", "io.kafkaworker.dispatch..", "io.kafkaworker.lane..",
					"io.kafkaworker.offset..", "io.kafkaworker.commit..", "io.kafkaworker.delivery..",
					"io.kafkaworker.failure.."));
	}

	@Test
	void operatorAdaptersShouldSeeWorkersOnlyThroughTheReadModel() {
		check(ArchRuleDefinition.noClasses()
			.that()
			.resideInAnyPackage("io.kafkaworker.metrics..", "io.kafkaworker.health..", "io.kafkaworker.actuate..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.kafkaworker.container..", "io.kafkaworker.dispatch..", "io.kafkaworker.lane..",
					"io.kafkaworker.offset..", "io.kafkaworker.commit..", "io.kafkaworker.annotation..",
					"io.kafkaworker.delivery..", "io.kafkaworker.failure.."));
	}

	@Test
	void deliveryGuaranteesShouldNotDependOnTheContainer() {
		check(ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("io.kafkaworker.delivery..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.kafkaworker.container..", "io.kafkaworker.autoconfigure..",
					"io.kafkaworker.inbox.."));
	}

	@Test
	void groupTablesShouldKnowOnlyTheTransactionOfTheEngine() {
		check(ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("io.kafkaworker.state..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.kafkaworker.container..", "io.kafkaworker.autoconfigure..",
					"io.kafkaworker.annotation..", "io.kafkaworker.delivery..", "io.kafkaworker.failure..",
					"io.kafkaworker.dispatch..", "io.kafkaworker.lane..", "io.kafkaworker.offset..",
					"io.kafkaworker.commit.."));
	}

	@Test
	void interceptorsShouldDependOnNothingElseOfTheEngineNorOnSpring() {
		check(ArchRuleDefinition.classes()
			.that()
			.resideInAPackage("io.kafkaworker.intercept..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("io.kafkaworker.intercept..", "java..", "org.apache.kafka..",
					"org.apache.commons.logging..", "org.jspecify.."));
	}

	@Test
	void failurePolicyShouldDependOnNoDeliveryGuarantee() {
		check(ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("io.kafkaworker.failure..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.kafkaworker.delivery..", "io.kafkaworker.transaction..", "io.kafkaworker.commit..",
					"io.kafkaworker.container..", "io.kafkaworker.autoconfigure.."));
	}

	@Test
	void onlyTheDeliveryPackageShouldKnowHowAGuaranteeIsImplemented() {
		check(ArchRuleDefinition.noClasses()
			.that()
			.resideOutsideOfPackage("io.kafkaworker.delivery..")
			.should()
			.dependOnClassesThat(DescribedPredicate.describe(
					"a delivery implementation (anything of the delivery package but its API: "
							+ String.join(", ", DELIVERY_API) + ")",
					(type) -> type.getPackageName().equals("io.kafkaworker.delivery")
							&& !DELIVERY_API.contains(type.getName().replaceAll("\\$.*", "")))));
	}

	@Test
	void consumerSessionsAndHandlersShouldNotBranchOnTheDeliveryGuarantee() {
		check(ArchRuleDefinition.noClasses()
			.that()
			.haveFullyQualifiedName("io.kafkaworker.container.ConsumerSession")
			.or()
			.haveFullyQualifiedName("io.kafkaworker.container.RecordHandler")
			.or()
			.haveFullyQualifiedName("io.kafkaworker.container.WorkerDrain")
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("io.kafkaworker.annotation.Delivery")
			.orShould()
			.dependOnClassesThat()
			.resideInAPackage("io.kafkaworker.transaction.."));
	}

	@Test
	void kafkaTransactionsShouldDependOnNoOtherPackageOfTheEngineNorOnSpring() {
		check(ArchRuleDefinition.classes()
			.that()
			.resideInAPackage("io.kafkaworker.transaction..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("io.kafkaworker.transaction..", "java..", "org.apache.kafka..", "org.jspecify..",
					"org.apache.commons.logging.."));
	}

	@Test
	void databaseInboxShouldPlugInThroughTheInvocationSeamOnly() {
		check(ArchRuleDefinition.classes()
			.that()
			.resideInAPackage("io.kafkaworker.inbox..")
			.should()
			.onlyDependOnClassesThat(DescribedPredicate.describe(
					"the invocation seam (InvocationDecorator, HandlerInvocation, WorkerSettings, WorkItem), "
							+ "the annotation package, Java, Kafka, Spring and logging",
					(type) -> INBOX_SEAM.contains(type.getName()) || type.getPackageName().startsWith("java")
							|| type.getPackageName().startsWith("io.kafkaworker.inbox")
							|| type.getPackageName().startsWith("io.kafkaworker.annotation")
							|| type.getPackageName().startsWith("org.apache.kafka")
							|| type.getPackageName().startsWith("org.springframework")
							|| type.getPackageName().startsWith("org.jspecify")
							|| type.getPackageName().startsWith("org.apache.commons.logging"))));
	}

	@Test
	void offsetToolsShouldDependOnNoOtherPackageOfOursAndOnSpringOnlyForKafkaAdmin() {
		check(ArchRuleDefinition.classes()
			.that()
			.resideInAPackage("io.kafkaworker.admin..")
			.should()
			.onlyDependOnClassesThat(
					DescribedPredicate.describe("are of the offset tools, Java, the Kafka clients or KafkaAdmin",
							(type) -> type.getPackageName().startsWith("io.kafkaworker.admin")
									|| type.getPackageName().startsWith("java")
									|| type.getPackageName().startsWith("org.apache.kafka")
									|| type.getPackageName().startsWith("org.jspecify")
									|| type.getName().equals("org.springframework.kafka.core.KafkaAdmin"))));
	}

	@Test
	void onlyTheAutoConfigurationShouldDependOnTheAutoConfiguration() {
		check(ArchRuleDefinition.noClasses()
			.that()
			.resideOutsideOfPackage("io.kafkaworker.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.kafkaworker.autoconfigure.."));
	}

	@Test
	void autoConfigurationClassesShouldBePublicAndFinal() {
		check(ArchRuleDefinition.classes()
			.that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL));
	}

	@Test
	void beanMethodsShouldNotBePublicOrConditionalOnClass() {
		check(ArchRuleDefinition.methods()
			.that()
			.areAnnotatedWith(Bean.class)
			.should()
			.notBePublic()
			.andShould()
			.notBeAnnotatedWith(ConditionalOnClass.class));
	}

	@Test
	void beanPostProcessorBeanMethodsShouldBeStatic() {
		check(ArchRuleDefinition.methods()
			.that()
			.areAnnotatedWith(Bean.class)
			.and()
			.haveRawReturnType(DescribedPredicate.describe("a BeanPostProcessor",
					(type) -> type.isAssignableTo(BeanPostProcessor.class)))
			.should()
			.beStatic());
	}

	private static void check(ArchRule rule) {
		rule.check(classes);
	}

}
