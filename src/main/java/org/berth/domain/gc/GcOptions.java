package org.berth.domain.gc;

/**
 * How a run goes.
 *
 * @param dryRun         delete nothing, report exactly what would be deleted
 * @param deleteUntagged also delete untagged manifests that nothing keeps (off by default, as in Harbor)
 */
public record GcOptions(boolean dryRun, boolean deleteUntagged) {
}
