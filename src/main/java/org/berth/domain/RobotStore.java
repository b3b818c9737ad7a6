package org.berth.domain;

import java.util.List;
import java.util.Optional;

/** Robot accounts, per project. */
public interface RobotStore {

    Optional<Robot> find(String project, String name);

    List<Robot> list(String project);

    /** @return false when the project already has a robot of that name */
    boolean create(Robot robot);

    void setDisabled(String project, String name, boolean disabled);

    /** @return false when there was no such robot */
    boolean delete(String project, String name);
}
