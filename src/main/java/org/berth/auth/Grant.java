package org.berth.auth;

/** The outcome of a successful access check: who the caller is ({@code anonymous} when nobody). */
public record Grant(String subject) {

    public static final Grant ANONYMOUS = new Grant("anonymous");
}
