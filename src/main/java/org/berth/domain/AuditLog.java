package org.berth.domain;

import java.util.List;

/** Where audit entries are kept. */
public interface AuditLog {

    /** Stores the entries (ids are assigned here), all in the caller's transaction. */
    void append(List<AuditEntry> entries);

    /** Entries matching the query, newest first. */
    List<AuditEntry> find(AuditQuery query, int offset, int limit);

    /** How many entries match the query. */
    long count(AuditQuery query);
}
