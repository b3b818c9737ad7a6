package org.berth.domain;

/** A user's role in a project. */
public record Member(String project, String username, Role role) {
}
