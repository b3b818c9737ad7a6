package org.berth.domain.retention;

import java.util.List;
import java.util.Optional;

/** The retention policy of every project (one each, or none). */
public interface RetentionPolicyStore {

    Optional<RetentionPolicy> find(String project);

    /**
     * Writes the project's policy, replacing the one it had.
     *
     * @throws org.berth.domain.RegistryException.NotFound when the project does not exist
     */
    RetentionPolicy save(RetentionPolicy policy);

    /** The enabled policies that have a schedule. */
    List<RetentionPolicy> scheduled();
}
