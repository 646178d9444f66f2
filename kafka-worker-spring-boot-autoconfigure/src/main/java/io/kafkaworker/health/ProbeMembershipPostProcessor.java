package io.kafkaworker.health;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.core.Ordered;

/**
 * Adds health contributors to existing health groups, such as {@code kafkaWorkers} to
 * {@code readiness}, without replacing the members the user configured. Spring Boot
 * creates the probe groups in its own post-processor, at the lowest precedence: this one
 * is registered after it, with the same order, so it sees them.
 */
public class ProbeMembershipPostProcessor implements HealthEndpointGroupsPostProcessor, Ordered {

	private final Map<String, String> memberByGroup;

	/**
	 * Create a post-processor.
	 * @param memberByGroup the contributor name to add, by group name
	 */
	public ProbeMembershipPostProcessor(Map<String, String> memberByGroup) {
		this.memberByGroup = Map.copyOf(memberByGroup);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
		return new WithMembers(groups, this.memberByGroup);
	}

	private static final class WithMembers implements HealthEndpointGroups, AdditionalPathsMapper {

		private final HealthEndpointGroups groups;

		private final Map<String, String> memberByGroup;

		WithMembers(HealthEndpointGroups groups, Map<String, String> memberByGroup) {
			this.groups = groups;
			this.memberByGroup = memberByGroup;
		}

		@Override
		public HealthEndpointGroup getPrimary() {
			return this.groups.getPrimary();
		}

		@Override
		public Set<String> getNames() {
			return this.groups.getNames();
		}

		@Override
		public @Nullable HealthEndpointGroup get(String name) {
			HealthEndpointGroup group = this.groups.get(name);
			String member = this.memberByGroup.get(name);
			return (group != null && member != null) ? new WithMember(group, member) : group;
		}

		@Override
		public @Nullable List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace webServerNamespace) {
			return (this.groups instanceof AdditionalPathsMapper mapper)
					? mapper.getAdditionalPaths(endpointId, webServerNamespace) : null;
		}

	}

	private static final class WithMember implements HealthEndpointGroup {

		private final HealthEndpointGroup group;

		private final String member;

		WithMember(HealthEndpointGroup group, String member) {
			this.group = group;
			this.member = member;
		}

		@Override
		public boolean isMember(String name) {
			return this.member.equals(name) || this.group.isMember(name);
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return this.group.showComponents(securityContext);
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return this.group.showDetails(securityContext);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return this.group.getStatusAggregator();
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return this.group.getHttpCodeStatusMapper();
		}

		@Override
		public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
			return this.group.getAdditionalPath();
		}

	}

}
